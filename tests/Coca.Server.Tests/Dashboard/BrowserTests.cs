using System.Text.Json;
using Coca.Core.Accounting;
using Coca.Storage;
using Coca.TestSupport;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Coca.Server.Tests.Dashboard;

/// <summary>
/// The dashboard in a real browser: Debian's headless Chromium driven through its chromedriver by Selenium. One browser
/// and one server for the class; every test reads the browser's own network log to see what it fetched.
/// </summary>
public sealed class BrowserTests(BrowserTests.Browser browser) : IClassFixture<BrowserTests.Browser>
{
    /// <summary>A server with the dashboard's fixture and one headless Chromium, shared by the class; no browser where none is installed.</summary>
    public sealed class Browser : ServerHarness, IAsyncLifetime
    {
        public ChromeDriver? Driver { get; private set; }

        public string Origin => BaseAddress.GetLeftPart(UriPartial.Authority);

        public string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

        protected override IReadOnlyList<AccountingJob> Accounting => DashboardData.Accounting;

        protected override void Seed(IJobStore store) => DashboardData.Seed(store);

        public string LoginUrl(string user, string role = TokenRoles.User)
        {
            using var store = JobStores.Open(Store);
            return new Uri(BaseAddress, "login?token=" + Uri.EscapeDataString(store.IssueLogin(role, user, TimeSpan.FromMinutes(5)))).AbsoluteUri;
        }

        public new async Task InitializeAsync()
        {
            await base.InitializeAsync();
            if (!ChromiumFactAttribute.Installed) return;
            var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromiumFactAttribute.Driver)!, Path.GetFileName(ChromiumFactAttribute.Driver));
            service.SuppressInitialDiagnosticInformation = true;
            service.HideCommandPromptWindow = true;
            var options = new ChromeOptions { BinaryLocation = ChromiumFactAttribute.Browser };
            options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync");
            options.SetLoggingPreference("performance", LogLevel.All);
            Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
            Directory.CreateDirectory(Screenshots);
        }

        public new async Task DisposeAsync()
        {
            Driver?.Quit();
            Driver?.Dispose();
            await base.DisposeAsync();
        }

        /// <summary>The URLs the browser requested since the last call, and the status of each response, from its performance log.</summary>
        public (List<string> Requests, Dictionary<string, int> Statuses) Network()
        {
            var requests = new List<string>();
            var statuses = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var entry in Driver!.Manage().Logs.GetLog("performance"))
            {
                using var doc = JsonDocument.Parse(entry.Message);
                var message = doc.RootElement.GetProperty("message");
                var method = message.GetProperty("method").GetString();
                var p = message.GetProperty("params");
                if (method == "Network.requestWillBeSent") requests.Add(p.GetProperty("request").GetProperty("url").GetString()!);
                if (method == "Network.responseReceived")
                {
                    var response = p.GetProperty("response");
                    statuses[response.GetProperty("url").GetString()!] = response.GetProperty("status").GetInt32();
                }
            }
            return (requests, statuses);
        }

        public void Screenshot(string name) => Driver!.GetScreenshot().SaveAsFile(Path.Combine(Screenshots, name + ".png"));
    }

    private ChromeDriver Driver => browser.Driver!;

    private void SignIn(string user, string role = TokenRoles.User)
    {
        Driver.Manage().Cookies.DeleteAllCookies();
        Driver.Navigate().GoToUrl(browser.LoginUrl(user, role));
    }

    private void Open(string path) => Driver.Navigate().GoToUrl(new Uri(new Uri(browser.Origin), path).AbsoluteUri);

    [ChromiumFact]
    public void Signing_in_by_link_opens_the_overview_and_the_job_page_shows_its_plot_and_figures()
    {
        SignIn("alice");
        Assert.Equal(browser.Origin + "/", Driver.Url);
        Assert.Equal("Your last 30 days", Driver.FindElement(By.TagName("h1")).Text);
        Assert.Empty(Driver.ExecuteScript("return document.cookie;") as string ?? ""); // HttpOnly: no script reads the session
        browser.Screenshot("overview-user");

        Open("/jobs");
        Driver.FindElement(By.LinkText("101")).Click();
        Assert.EndsWith("/jobs/101", Driver.Url);
        var plot = Driver.FindElement(By.CssSelector("svg#power-plot"));
        Assert.True(plot.Displayed);
        Assert.Equal(2, plot.FindElements(By.TagName("polyline")).Count);
        var table = Driver.FindElements(By.TagName("table")).Single(t => t.FindElement(By.TagName("caption")).Text == "Power per device");
        var rows = table.FindElements(By.CssSelector("tbody tr"));
        Assert.Equal(40, rows.Count);
        Assert.Equal("250 W", rows[0].FindElements(By.TagName("td"))[2].Text);
        Assert.NotNull(Driver.FindElement(By.PartialLinkText("Download the figures")));
        Driver.ExecuteScript("arguments[0].scrollIntoView();", Driver.FindElement(By.XPath("//h2[text()='Power per device over time']")));
        browser.Screenshot("job");
    }

    [ChromiumFact]
    public void Another_users_job_is_refused_in_the_browser()
    {
        SignIn("alice");
        browser.Network();
        Open("/jobs/201");
        Assert.Equal("Not yours", Driver.FindElement(By.TagName("h1")).Text);
        Assert.DoesNotContain("train-201", Driver.PageSource);
        var (_, statuses) = browser.Network();
        Assert.Equal(403, statuses[browser.Origin + "/jobs/201"]);
    }

    [ChromiumFact]
    public void No_page_makes_the_browser_fetch_anything_outside_the_servers_origin()
    {
        browser.Network();
        SignIn("root", TokenRoles.Admin);
        browser.Screenshot("overview-cluster");
        var requests = new List<string>();
        foreach (var (path, shot) in new[] { ("/jobs", "jobs"), ("/jobs/101", null), ("/users", "users"), ("/behaviours", "behaviours"), ("/trends", "trends") })
        {
            Open(path);
            Assert.NotEqual("Bad request", Driver.FindElement(By.TagName("h1")).Text);
            var (seen, statuses) = browser.Network();
            Assert.Equal(200, statuses[browser.Origin + path]);
            requests.AddRange(seen);
            if (shot is not null) browser.Screenshot(shot);
        }
        Assert.Contains(browser.Origin + "/trends", requests);
        // data: URLs are no request on the wire: Chromium draws its own date picker's icon from one.
        var foreign = requests.Where(u => !u.StartsWith(browser.Origin + "/", StringComparison.Ordinal) && !u.StartsWith("data:", StringComparison.Ordinal)).ToList();
        Assert.True(foreign.Count == 0, "requests outside the origin: " + string.Join(", ", foreign));
    }
}
