using Coca.Core.Attribution;
using System.Text.Json;
using Coca.Agent.State;
using Coca.TestSupport;

namespace Coca.Agent.Tests.State;

public sealed class StateFileTests : IDisposable
{
    private readonly TempDirectory _dir = new("coca-state");

    [Fact]
    public void Books_read_back_from_the_newest_slot()
    {
        SaveInTurn(1, 2, 3);
        var back = StateFile.Read(_dir.Path)!;
        Assert.Equal(3, back.NextBatchSequence);
        Assert.Equal(3, back.Jobs.Count);
        Assert.True(File.Exists(StateFile.SlotPath(_dir.Path, 0)) && File.Exists(StateFile.SlotPath(_dir.Path, 1)));
    }

    [Fact]
    public void A_save_cut_short_leaves_the_one_before()
    {
        SaveInTurn(1, 2); // slot 1, then slot 0
        // A crash in the middle of the second write: the end of its books never reached the disk.
        var slot0 = StateFile.SlotPath(_dir.Path, 0);
        var bytes = File.ReadAllBytes(slot0);
        File.WriteAllBytes(slot0, bytes[..(bytes.Length - 40)]);

        using var reopened = new StateFile(_dir.Path);
        var back = reopened.Load(out var problem)!;
        Assert.Equal(1, back.NextBatchSequence);
        Assert.Contains("agent-state.0.jsonl", problem);

        reopened.Save(Books(jobs: 5, sequence: 5)); // the next save goes over the damaged slot, not the good one
        Assert.Equal(5, StateFile.Read(_dir.Path)!.NextBatchSequence);
        Assert.Equal(1, JsonSerializer.Deserialize<JsonElement>(File.ReadAllLines(StateFile.SlotPath(_dir.Path, 1))[1]).GetProperty("next_batch_sequence").GetInt64());
    }

    [Fact]
    public void A_flipped_byte_is_caught_by_the_checksum()
    {
        SaveInTurn(1, 1);
        var slot0 = StateFile.SlotPath(_dir.Path, 0);
        var text = File.ReadAllText(slot0);
        File.WriteAllText(slot0, text.Replace("\"next_batch_sequence\":2", "\"next_batch_sequence\":7", StringComparison.Ordinal)); // still valid JSON
        Assert.Equal(1, StateFile.Read(_dir.Path)!.NextBatchSequence);
    }

    [Fact]
    public void Books_that_cannot_be_read_at_all_are_kept_as_bad_and_the_agent_starts_from_zero()
    {
        SaveInTurn(1); // slot 1 only
        var slot1 = StateFile.SlotPath(_dir.Path, 1);
        File.WriteAllText(slot1, File.ReadAllText(slot1).Replace("alice", "alicf", StringComparison.Ordinal));
        using var reopened = new StateFile(_dir.Path);
        Assert.Null(reopened.Load(out var problem));
        Assert.Contains("starting from zero", problem);
        Assert.True(File.Exists(slot1 + ".bad"));
    }

    [Fact]
    public void A_shorter_save_is_padded_with_spaces_and_each_slot_stays_two_json_lines()
    {
        using var file = new StateFile(_dir.Path);
        file.Save(Books(jobs: 40, sequence: 1));
        file.Save(Books(jobs: 40, sequence: 2));
        var before = new FileInfo(StateFile.SlotPath(_dir.Path, 1)).Length;
        file.Save(Books(jobs: 1, sequence: 3)); // slot 1 again, much shorter
        var slot = StateFile.SlotPath(_dir.Path, 1);
        Assert.Equal(before, new FileInfo(slot).Length);
        var lines = File.ReadAllLines(slot);
        Assert.Equal(3, lines.Length);
        Assert.Equal(3, JsonSerializer.Deserialize<JsonElement>(lines[0]).GetProperty("sequence").GetInt64());
        Assert.Single(JsonSerializer.Deserialize<JsonElement>(lines[1]).GetProperty("jobs").EnumerateObject());
        Assert.True(string.IsNullOrWhiteSpace(lines[2]));
        Assert.Single(StateFile.Read(_dir.Path)!.Jobs);
    }

    [Fact]
    public void Books_of_an_earlier_version_are_read_and_retired_at_the_first_save()
    {
        var legacy = Path.Combine(_dir.Path, "agent-state.json");
        File.WriteAllText(legacy, JsonSerializer.Serialize(Books(jobs: 2, sequence: 9), AgentJsonContext.Default.Books));
        using var file = new StateFile(_dir.Path);
        var state = file.Load(out var problem)!;
        Assert.Null(problem);
        Assert.Equal(9, state.NextBatchSequence);
        file.Save(state);
        Assert.False(File.Exists(legacy));
        Assert.Equal(9, StateFile.Read(_dir.Path)!.NextBatchSequence);
    }

    [Fact]
    public void A_new_writer_without_a_load_still_goes_over_the_older_slot()
    {
        SaveInTurn(40, 40, 40);
        using (var again = new StateFile(_dir.Path)) again.Save(Books(jobs: 1, sequence: 4));
        Assert.Equal(4, StateFile.Read(_dir.Path)!.NextBatchSequence);
        Assert.Equal(3, File.ReadAllLines(StateFile.SlotPath(_dir.Path, 0)).Length); // header, books, the spaces over the older tail
    }

    [Fact]
    public void Saves_after_the_first_allocate_nothing()
    {
        using var file = new StateFile(_dir.Path);
        var state = Books(jobs: 64, sequence: 1);
        file.Save(state);
        file.Save(state); // both slots open
        var before = GC.GetAllocatedBytesForCurrentThread();
        file.Save(state);
        file.Save(state);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    // One writer saving books of so many jobs each, numbered 1, 2, … (the sequence lands in next_batch_sequence), then closed.
    private void SaveInTurn(params int[] jobsPerSave)
    {
        using var file = new StateFile(_dir.Path);
        for (var i = 0; i < jobsPerSave.Length; i++) file.Save(Books(jobsPerSave[i], sequence: i + 1));
    }

    private static Books Books(int jobs, long sequence)
    {
        var state = new Books { Node = "n1", TakenAt = 1_700_000_000 + sequence, NextBatchSequence = sequence };
        state.Devices["package-0"] = new DeviceBook { Kind = "cpu", TotalUj = 1000 * sequence, Raw = 77, PowerW = double.NaN };
        for (var j = 0; j < jobs; j++) state.Jobs[$"{100 + j}"] = new JobBook { JobId = $"{100 + j}", User = "alice", Start = 1_700_000_000, EnergyOnDisk = [j, 2 * j, 3 * j, 0] };
        return state;
    }

    public void Dispose() => _dir.Dispose();
}
