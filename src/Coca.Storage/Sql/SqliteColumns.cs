using System.Runtime.InteropServices;
using System.Text;

namespace Coca.Storage.Sql;

/// <summary>
/// SQLite's column getters called straight on the native library Microsoft.Data.Sqlite ships (e_sqlite3), on the
/// statement's raw pointer and without a GC transition: SQLitePCL's wrappers add a SafeHandle reference count and a
/// transition to every call, about 35 ns, which over 26 columns of a year's 9 million rows was a third of the read.
/// These getters only read the current row (no callback, no lock), the case SuppressGCTransition is meant for.
/// </summary>
internal static partial class SqliteColumns
{
    /// <summary>Whether the library answers here; otherwise callers use SQLitePCL's wrappers.</summary>
    public static bool Available()
    {
        try
        {
            return sqlite3_libversion_number() > 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    public static unsafe string Text(IntPtr statement, int i)
    {
        var bytes = sqlite3_column_blob(statement, i);
        var length = sqlite3_column_bytes(statement, i);
        return length == 0 ? "" : Encoding.UTF8.GetString((byte*)bytes, length);
    }

    public static unsafe ReadOnlySpan<byte> Bytes(IntPtr statement, int i)
    {
        var bytes = sqlite3_column_blob(statement, i);
        var length = sqlite3_column_bytes(statement, i);
        return length == 0 ? [] : new ReadOnlySpan<byte>((void*)bytes, length);
    }

    [LibraryImport("e_sqlite3")]
    private static partial int sqlite3_libversion_number();

    [LibraryImport("e_sqlite3"), SuppressGCTransition]
    public static partial long sqlite3_column_int64(IntPtr statement, int i);

    [LibraryImport("e_sqlite3"), SuppressGCTransition]
    public static partial double sqlite3_column_double(IntPtr statement, int i);

    [LibraryImport("e_sqlite3"), SuppressGCTransition]
    private static partial IntPtr sqlite3_column_blob(IntPtr statement, int i);

    [LibraryImport("e_sqlite3"), SuppressGCTransition]
    private static partial int sqlite3_column_bytes(IntPtr statement, int i);
}
