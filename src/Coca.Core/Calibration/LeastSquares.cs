namespace Coca.Core.Calibration;

/// <summary>
/// Ordinary least squares of y on an intercept and a few regressors, by the normal equations (a 3×3 system here:
/// Gaussian elimination with partial pivoting is exact enough, and needs no library). A regressor that does not vary
/// over the samples (a node without GPUs: GPU power always 0) cannot be told apart from the intercept: its
/// coefficient is unknown (null), never 0, and the fit is made without it.
/// </summary>
public static class LeastSquares
{
    /// <summary>Coefficients [intercept, b1, b2, …]; null for a regressor left out; null overall when there are too few samples.</summary>
    public static double?[]? Fit(IReadOnlyList<double> y, IReadOnlyList<double[]> x)
    {
        var n = y.Count;
        if (n == 0) return null;
        var k = x[0].Length;
        var used = new List<int>();
        for (var j = 0; j < k; j++)
        {
            var min = double.PositiveInfinity;
            var max = double.NegativeInfinity;
            foreach (var sample in x)
            {
                min = Math.Min(min, sample[j]);
                max = Math.Max(max, sample[j]);
            }
            if (max - min > 1e-9 * Math.Max(1, Math.Abs(max))) used.Add(j);
        }
        var m = used.Count + 1;
        if (n < m) return null;
        var a = new double[m, m + 1];
        var row = new double[m];
        for (var i = 0; i < n; i++)
        {
            row[0] = 1;
            for (var j = 0; j < used.Count; j++) row[j + 1] = x[i][used[j]];
            for (var r = 0; r < m; r++)
            {
                for (var c = 0; c < m; c++) a[r, c] += row[r] * row[c];
                a[r, m] += row[r] * y[i];
            }
        }
        if (Solve(a, m) is not { } solution) return null;
        var result = new double?[k + 1];
        result[0] = solution[0];
        for (var j = 0; j < used.Count; j++) result[used[j] + 1] = solution[j + 1];
        return result;
    }

    private static double[]? Solve(double[,] a, int m)
    {
        for (var col = 0; col < m; col++)
        {
            var pivot = col;
            for (var r = col + 1; r < m; r++)
            {
                if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col])) pivot = r;
            }
            if (Math.Abs(a[pivot, col]) < 1e-12) return null; // collinear regressors: no single answer
            for (var c = 0; c <= m; c++) (a[col, c], a[pivot, c]) = (a[pivot, c], a[col, c]);
            for (var r = 0; r < m; r++)
            {
                if (r == col) continue;
                var f = a[r, col] / a[col, col];
                for (var c = col; c <= m; c++) a[r, c] -= f * a[col, c];
            }
        }
        var x = new double[m];
        for (var i = 0; i < m; i++) x[i] = a[i, m] / a[i, i];
        return x;
    }
}
