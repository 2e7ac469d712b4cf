using System.Diagnostics;
using System.Net;
using DnsClient;

namespace KubeDns.Tests.Integration.Kubernetes;

/// <summary>Asks the running server with DnsClient (no cache, no retries) and polls until an answer is as expected.</summary>
internal sealed class DnsProbe(ServerProcess server)
{
    /// <summary>How long a change may take to show in answers: it takes milliseconds, the rest is slack for a loaded CI machine.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly LookupClient _client = new(new LookupClientOptions(new NameServer(IPAddress.Loopback, server.Port))
    {
        UseCache = false,
        Retries = 0,
        Timeout = TimeSpan.FromSeconds(2),
        ThrowDnsErrors = false,
        ContinueOnDnsError = false,
        ContinueOnEmptyResponse = false,
    });

    public async Task<DnsAnswer> AskAsync(string name, QueryType type = QueryType.A)
    {
        var response = await _client.QueryAsync(name, type);
        return new DnsAnswer(
            response.Header.ResponseCode,
            [.. response.Answers.ARecords().Select(record => record.Address.ToString()).Order(StringComparer.Ordinal)]);
    }

    /// <summary>Asks until the answer satisfies the condition; fails with the last answer and the server's log after the deadline.</summary>
    public async Task<DnsAnswer> UntilAsync(string name, Func<DnsAnswer, bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var answer = await AskAsync(name);
            if (condition(answer))
            {
                return answer;
            }

            if (clock.Elapsed > Deadline)
            {
                Assert.Fail($"{what}: {name} still answers {answer} after {Deadline.TotalSeconds} s. Server output:\n{server.Output}");
            }

            await Task.Delay(50);
        }
    }

    public Task<DnsAnswer> UntilAddressesAsync(string name, params string[] addresses) =>
        UntilAsync(name, answer => answer.Code == DnsHeaderResponseCode.NoError && answer.Addresses.SequenceEqual(addresses), $"expected [{string.Join(", ", addresses)}]");

    public Task<DnsAnswer> UntilCodeAsync(string name, DnsHeaderResponseCode code) =>
        UntilAsync(name, answer => answer.Code == code, $"expected {code}");
}

/// <summary>The response code and the A records of one answer.</summary>
internal sealed record DnsAnswer(DnsHeaderResponseCode Code, IReadOnlyList<string> Addresses)
{
    public override string ToString() => $"{Code} [{string.Join(", ", Addresses)}]";
}
