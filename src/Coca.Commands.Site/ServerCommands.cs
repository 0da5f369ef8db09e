using System.CommandLine;
using Coca.Commands.Node;
using Coca.Commands.Node.Config;
using Coca.Commands.Site.Config;
using Coca.Server;
using Coca.Storage;
using Microsoft.Extensions.Hosting;

namespace Coca.Commands.Site;

/// <summary><c>coca server</c> and <c>coca token</c>.</summary>
internal static class ServerCommands
{
    public static Command Server()
    {
        var store = new StoreOptions();
        var host = new HostPathOptions();
        var listen = new Option<string?>("--listen") { Description = ServerSettings.Listen.Help("URL to listen on; put TLS in front (nginx) beyond one machine"), HelpName = "URL" };
        var command = new Command("server", """
            Run the Coca4ai server: agents push their jobs' energy (POST /api/v1/ingest, each with its own agent token),
            users and admins query jobs (GET /api/v1/jobs, /api/v1/jobs/{id}, /api/v1/users; a user's token sees only
            that user's jobs). /health answers ok; the OpenAPI document is /openapi/v1.json. Stateless: run several
            behind a load balancer on one PostgreSQL store. Tokens: coca token issue. The dashboard's pages are at /
            (sign in with a link from coca token login-url, or through [server] trusted_user_header).
            """);
        var retention = new Option<double?>("--series-retention") { Description = ServerSettings.SeriesRetention.Help("Days of per-GPU series kept for job plots; job totals are kept for ever"), HelpName = "DAYS" };
        command.Options.Add(listen);
        command.Options.Add(retention);
        store.AddTo(command);
        command.Options.Add(host.ConfigFile);
        command.SetAction(async (parse, cancel) =>
        {
            var settings = host.Settings(parse);
            var location = store.Location(parse, settings);
            var options = new ServerOptions
            {
                Store = location,
                Listen = ListenAddress.Url(settings.String(ServerSettings.Listen, parse.GetValue(listen))!),
                SeriesRetention = TimeSpan.FromDays(settings.Double(ServerSettings.SeriesRetention, parse.GetValue(retention))!.Value),
                Carbon = StoreOptions.SiteCarbon(settings),
                Behaviours = BehaviourSettings.Rules(settings),
                Embodied = EmbodiedSettings.Factors(settings),
                SessionLifetime = TimeSpan.FromHours(settings.Double(ServerSettings.SessionHours, null)!.Value),
                TrustedUserHeader = settings.String(ServerSettings.TrustedUserHeader, null),
                TrustedProxies = Proxies(settings.String(ServerSettings.TrustedProxies, null)),
                Admins = (settings.String(SiteSettings.Admins, null) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal),
            };
            if (options.TrustedUserHeader is not null && options.TrustedProxies.Count == 0)
            {
                throw new UsageException("[server] trusted_user_header needs [server] trusted_proxies: the addresses of the proxies that set it");
            }
            Microsoft.AspNetCore.Builder.WebApplication app;
            try
            {
                app = CocaServer.Build(options);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or IOException or ArgumentException)
            {
                throw new StoreUnavailableException($"cannot open the store {JobStores.Redact(location)}: {e.Message}");
            }
            await using (app)
            {
                await app.StartAsync(cancel).ConfigureAwait(false);
                await app.WaitForShutdownAsync(cancel).ConfigureAwait(false);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static IReadOnlyList<System.Net.IPAddress> Proxies(string? text)
    {
        try
        {
            return CocaServer.ParseProxies(text);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }

    public static Command Token()
    {
        var token = new Command("token", "API tokens: one per agent (node), per user, or for admins. Stored hashed; the secret is shown once.");
        {
            var store = new StoreOptions();
            var host = new HostPathOptions();
            var node = new Option<string?>("--node") { Description = "A token for the agent of this node", HelpName = "NAME" };
            var user = new Option<string?>("--user") { Description = "A token for this user (sees only their own jobs)", HelpName = "USER" };
            var admin = new Option<bool>("--admin") { Description = "With --user: an admin token (sees every job)" };
            var issue = new Command("issue", "Issue a token and print it once on stdout (give it to the agent with --token-file, or to the user).");
            issue.Options.Add(node);
            issue.Options.Add(user);
            issue.Options.Add(admin);
            store.AddTo(issue);
            issue.Options.Add(host.ConfigFile);
            issue.SetAction(parse =>
            {
                var n = parse.GetValue(node);
                var u = parse.GetValue(user);
                if ((n is null) == (u is null)) throw new UsageException("give exactly one of --node NAME or --user NAME");
                if (n is not null && parse.GetValue(admin)) throw new UsageException("--admin goes with --user");
                using var s = store.Open(parse, host.Settings(parse));
                var role = n is not null ? TokenRoles.Agent : parse.GetValue(admin) ? TokenRoles.Admin : TokenRoles.User;
                Console.Out.WriteLine(s.IssueToken(role, n ?? u!));
                return ExitCodes.Success;
            });
            token.Subcommands.Add(issue);
        }
        token.Subcommands.Add(LoginUrlCommand.Create());
        {
            var store = new StoreOptions();
            var host = new HostPathOptions();
            var list = new Command("list", "List tokens (ids, roles, subjects; never the secrets).");
            store.AddTo(list);
            list.Options.Add(host.ConfigFile);
            list.SetAction(parse =>
            {
                using var s = store.Open(parse, host.Settings(parse));
                foreach (var t in s.Tokens()) Console.Out.WriteLine($"{t.TokenId}  {t.Role,-6} {t.Subject,-20} {t.Created:yyyy-MM-dd}{(t.Revoked ? "  revoked" : "")}");
                return ExitCodes.Success;
            });
            token.Subcommands.Add(list);
        }
        {
            var store = new StoreOptions();
            var host = new HostPathOptions();
            var id = new Argument<string>("id") { Description = "Token id, as coca token list shows it" };
            var revoke = new Command("revoke", "Revoke a token: its holder gets 401 from then on.");
            revoke.Arguments.Add(id);
            store.AddTo(revoke);
            revoke.Options.Add(host.ConfigFile);
            revoke.SetAction(parse =>
            {
                using var s = store.Open(parse, host.Settings(parse));
                if (s.RevokeToken(parse.GetValue(id)!)) return ExitCodes.Success;
                Console.Error.WriteLine($"coca token revoke: no token {parse.GetValue(id)}");
                return ExitCodes.Failure;
            });
            token.Subcommands.Add(revoke);
        }
        return token;
    }
}
