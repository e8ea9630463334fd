using Serilog.Sinks.LogTrace.AspNetCore;

namespace Serilog.Sinks.LogTrace.Tests.AspNetCore;

// Each rule of OptionsValidator at its edge, with the message a user reads at startup.
public class OptionsValidatorTests
{
    static string Refusal(Action<LogTraceHttpContextOptions> change)
    {
        var options = new LogTraceHttpContextOptions();
        change(options);
        return Assert.Throws<InvalidOperationException>(() => OptionsValidator.Validate(options)).Message;
    }

    static void Accepted(Action<LogTraceHttpContextOptions> change)
    {
        var options = new LogTraceHttpContextOptions();
        change(options);
        OptionsValidator.Validate(options);
    }

    [Fact]
    public void TheDefaultsAndEveryValueAtItsEdgeAreAccepted()
    {
        Accepted(_ => { });
        Accepted(o => o.MaxEventHold = TimeSpan.Zero);
        Accepted(o => o.AttachAfterCompletion = TimeSpan.Zero);
        Accepted(o => o.MaxEventHold = TimeSpan.FromHours(1));
        Accepted(o => o.AttachAfterCompletion = TimeSpan.FromHours(1));
        Accepted(o => o.MaxHeaderValueLength = 1);
        Accepted(o => o.MaxHeaderCount = 1);
        Accepted(o => o.MaxHeaderCount = OptionsValidator.SinkMaxHeaderCount);
        Accepted(o => o.RequestIdHeader = "X-Request-Id");
        Accepted(o => o.RequestIdHeader = "");
    }

    [Fact]
    public void ANegativeDurationIsRefused()
    {
        Assert.Equal("LogTraceHttpContextOptions.MaxEventHold must not be negative; it was -00:00:00.0000001.",
            Refusal(o => o.MaxEventHold = TimeSpan.FromTicks(-1)));
        Assert.Equal("LogTraceHttpContextOptions.AttachAfterCompletion must not be negative; it was -00:00:01.",
            Refusal(o => o.AttachAfterCompletion = TimeSpan.FromSeconds(-1)));
    }

    [Fact]
    public void ADurationOverAnHourIsRefusedWithTheDaysHintOnlyForWholeDays()
    {
        Assert.Equal("LogTraceHttpContextOptions.MaxEventHold must be at most 01:00:00; it was 01:00:00.0000001.",
            Refusal(o => o.MaxEventHold = TimeSpan.FromHours(1) + TimeSpan.FromTicks(1)));
        Assert.Equal("LogTraceHttpContextOptions.AttachAfterCompletion must be at most 01:00:00; it was 30.00:00:00. " +
            "In appsettings.json a bare number is read as days: did you mean \"00:00:30\"?",
            Refusal(o => o.AttachAfterCompletion = TimeSpan.FromDays(30)));
        Assert.EndsWith("did you mean \"01:00:00\"?", Refusal(o => o.MaxEventHold = TimeSpan.FromDays(3600)));
        // Not a whole number of days, or more days than a hold could mean in seconds: no guess.
        Assert.Equal("LogTraceHttpContextOptions.MaxEventHold must be at most 01:00:00; it was 02:00:00.",
            Refusal(o => o.MaxEventHold = TimeSpan.FromHours(2)));
        Assert.Equal("LogTraceHttpContextOptions.MaxEventHold must be at most 01:00:00; it was 3601.00:00:00.",
            Refusal(o => o.MaxEventHold = TimeSpan.FromDays(3601)));
    }

    [Fact]
    public void TheHeaderLimitsAreRefusedOutsideTheirRange()
    {
        Assert.Equal("LogTraceHttpContextOptions.MaxHeaderValueLength must be greater than zero; it was 0.",
            Refusal(o => o.MaxHeaderValueLength = 0));
        Assert.Equal("LogTraceHttpContextOptions.MaxHeaderCount must be between 1 and 128 (the sink sends no more than that); it was 0.",
            Refusal(o => o.MaxHeaderCount = 0));
    }

    [Fact]
    public void ASensitiveHeaderIsRefusedAsTheRequestId() =>
        Assert.Equal("LogTraceHttpContextOptions.RequestIdHeader must not be a sensitive header (its value would be sent as the request id); it was Cookie.",
            Refusal(o => o.RequestIdHeader = "Cookie"));
}
