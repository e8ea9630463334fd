using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Serilog.Sinks.LogTrace.BrowserTests;

// One headless Chromium per test, from the system's packages, never downloaded.
sealed class Browser : IDisposable
{
    public Browser(int width = 1400, int height = 900)
    {
        var options = new ChromeOptions { BinaryLocation = Environment.GetEnvironmentVariable("CHROMIUM_BINARY") ?? "/usr/bin/chromium" };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", $"--window-size={width},{height}");
        var service = ChromeDriverService.CreateDefaultService(Environment.GetEnvironmentVariable("CHROMEDRIVER_DIR") ?? "/usr/bin", "chromedriver");
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    public ChromeDriver Driver { get; }

    // Awaits a condition on the page with a deadline; returns its value once truthy.
    public async Task<T> UntilAsync<T>(Func<IWebDriver, T?> condition, string what, TimeSpan? deadline = null)
    {
        var until = DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            try
            {
                var value = condition(Driver);
                if (value is not null && !(value is bool b && !b))
                    return value;
            }
            catch (WebDriverException) when (DateTime.UtcNow < until)
            {
                // The element is being replaced by the next poll: try again.
            }
            if (DateTime.UtcNow > until)
                throw new TimeoutException("Timed out waiting until " + what + ". Page text:\n" + Driver.FindElement(By.TagName("body")).Text);
            await Task.Delay(50);
        }
    }

    public IReadOnlyList<string> RowTexts() =>
        Driver.FindElements(By.CssSelector("#rows tr")).Select(r => r.Text).ToArray();

    public void Dispose() => Driver.Quit();
}
