using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Sending;

namespace Serilog.Sinks.LogTrace.Tests.Delivery;

public class DeliveryPolicyTests
{
    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    [InlineData(202)]
    [InlineData(204)]
    [InlineData(299)]
    public void EveryTwoHundredAnswerIsSuccess(int status) =>
        Assert.Equal(Outcome.Delivered, DeliveryPolicy.Classify(status));

    [Theory]
    [InlineData(100)]
    [InlineData(199)]
    public void AnswersBelowTheTwoHundredsAreNotSuccess(int status) =>
        Assert.Equal(Outcome.Rejected, DeliveryPolicy.Classify(status));

    // A redirect is never followed (it would carry the API key elsewhere): the endpoint is misconfigured.
    [Theory]
    [InlineData(300)]
    [InlineData(301)]
    [InlineData(304)]
    [InlineData(307)]
    [InlineData(399)]
    public void RedirectsAreConfigurationErrors(int status) =>
        Assert.Equal(Outcome.Unauthorized, DeliveryPolicy.Classify(status));

    [Theory]
    [InlineData(400)]
    [InlineData(413)]
    [InlineData(415)]
    [InlineData(422)]
    [InlineData(409)]
    [InlineData(499)]
    public void AnswersThatNoRetryCanFixAreRejected(int status) =>
        Assert.Equal(Outcome.Rejected, DeliveryPolicy.Classify(status));

    [Theory]
    [InlineData(401)]
    [InlineData(402)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(405)]
    [InlineData(428)]
    public void AnswersAboutTheKeyPlanOrEndpointAreUnauthorizedClass(int status) =>
        Assert.Equal(Outcome.Unauthorized, DeliveryPolicy.Classify(status));

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public void TransientAnswersAreRetried(int status) =>
        Assert.Equal(Outcome.Retry, DeliveryPolicy.Classify(status));

    [Theory]
    [InlineData(501)]
    [InlineData(505)]
    [InlineData(507)]
    [InlineData(511)]
    [InlineData(599)]
    public void EveryOtherServerErrorIsRetried(int status) =>
        Assert.Equal(Outcome.Retry, DeliveryPolicy.Classify(status));

    // Backoff: step = 1 s * 2^attempt, capped at 60 s; the wait lies in [step / 2, step].

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(5, 32)]
    [InlineData(6, 60)]
    [InlineData(16, 60)]
    [InlineData(17, 60)]
    [InlineData(int.MaxValue, 60)]
    public void WithNoJitterTheBackoffIsHalfTheStep(int attempt, int stepSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(stepSeconds) / 2, DeliveryPolicy.Backoff(attempt, new FixedRandom(0.0)));

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(5, 32)]
    [InlineData(6, 60)]
    [InlineData(16, 60)]
    [InlineData(int.MaxValue, 60)]
    public void WithTheLargestJitterTheBackoffIsJustUnderTheStep(int attempt, int stepSeconds)
    {
        var step = TimeSpan.FromSeconds(stepSeconds);
        var backoff = DeliveryPolicy.Backoff(attempt, new FixedRandom(0.999999));
        // step / 2 + 0.999999 * step / 2 = step * 0.9999995
        Assert.InRange(backoff, step - TimeSpan.FromTicks((long)(step.Ticks * 0.000001)), step);
    }

    [Fact]
    public void HalfTheJitterIsThreeQuartersOfTheStep() =>
        Assert.Equal(TimeSpan.FromMilliseconds(3000), DeliveryPolicy.Backoff(2, new FixedRandom(0.5)));

    [Fact]
    public void EachBackoffDrawsFromTheGivenRandom()
    {
        var random = new FixedRandom(0.0, 0.5);
        Assert.Equal(TimeSpan.FromMilliseconds(500), DeliveryPolicy.Backoff(0, random));
        Assert.Equal(TimeSpan.FromMilliseconds(750), DeliveryPolicy.Backoff(0, random));
        Assert.Equal(2, random.Draws);
    }

    // Returns the given values in turn (the last one from then on).
    sealed class FixedRandom : Random
    {
        readonly double[] _values;

        public FixedRandom(params double[] values) => _values = values;

        public int Draws { get; private set; }

        public override double NextDouble() => _values[Math.Min(Draws++, _values.Length - 1)];
    }
}
