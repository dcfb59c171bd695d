namespace OmniChannel.Messaging.Core.Tests.Compliance;

public sealed class OptOutClassifierTests
{
    private readonly OptOutClassifier classifier = OptOutClassifier.Default;

    [Theory]
    [InlineData("STOP", OptOutIntent.OptOut, "STOP")]
    [InlineData("STOPALL", OptOutIntent.OptOut, "STOPALL")]
    [InlineData("UNSUBSCRIBE", OptOutIntent.OptOut, "UNSUBSCRIBE")]
    [InlineData("CANCEL", OptOutIntent.OptOut, "CANCEL")]
    [InlineData("END", OptOutIntent.OptOut, "END")]
    [InlineData("QUIT", OptOutIntent.OptOut, "QUIT")]
    [InlineData("REVOKE", OptOutIntent.OptOut, "REVOKE")]
    [InlineData("OPTOUT", OptOutIntent.OptOut, "OPTOUT")]
    [InlineData("START", OptOutIntent.OptIn, "START")]
    [InlineData("YES", OptOutIntent.OptIn, "YES")]
    [InlineData("UNSTOP", OptOutIntent.OptIn, "UNSTOP")]
    [InlineData("HELP", OptOutIntent.Help, "HELP")]
    [InlineData("INFO", OptOutIntent.Help, "INFO")]
    [InlineData("sToP", OptOutIntent.OptOut, "STOP")]
    [InlineData("stop", OptOutIntent.OptOut, "STOP")]
    [InlineData("Unsubscribe", OptOutIntent.OptOut, "UNSUBSCRIBE")]
    [InlineData("  Stop  ", OptOutIntent.OptOut, "STOP")]
    [InlineData("\tstop\r\n", OptOutIntent.OptOut, "STOP")]
    [InlineData("STOP.", OptOutIntent.OptOut, "STOP")]
    [InlineData("Stop!", OptOutIntent.OptOut, "STOP")]
    [InlineData("stop?!", OptOutIntent.OptOut, "STOP")]
    [InlineData("STOP !", OptOutIntent.OptOut, "STOP")]
    [InlineData("help?", OptOutIntent.Help, "HELP")]
    [InlineData("ＳＴＯＰ", OptOutIntent.OptOut, "STOP")]
    [InlineData("ｓｔａｒｔ！", OptOutIntent.OptIn, "START")]
    [InlineData("\u3000stop\u00A0", OptOutIntent.OptOut, "STOP")]
    public void Classify_Keyword_ReturnsIntentKeywordAndLanguage(string body, OptOutIntent intent, string keyword)
    {
        var result = classifier.Classify(body);

        Assert.Equal(intent, result.Intent);
        Assert.Equal(keyword, result.Keyword);
        Assert.Equal("en", result.Language);
        Assert.True(result.IsKeyword);
        Assert.Equal(result, classifier.Classify(body.AsSpan()));
    }

    [Theory]
    [InlineData("Stop please")]
    [InlineData("please stop")]
    [InlineData("OPT OUT")]
    [InlineData("OPT-OUT")]
    [InlineData("STOP ALL")]
    [InlineData("STOPP")]
    [InlineData("STO")]
    [InlineData(".STOP")]
    [InlineData("\"STOP\"")]
    [InlineData("STOP 🙏")]
    [InlineData("🛑")]
    [InlineData("!!!")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("ARRET")]
    [InlineData("No")]
    [InlineData("Hello, I would like to know my order status, please answer soon")]
    public void Classify_NotAKeyword_IsNone(string body)
    {
        var result = classifier.Classify(body);

        Assert.Equal(OptOutIntent.None, result.Intent);
        Assert.Null(result.Keyword);
        Assert.Null(result.Language);
        Assert.False(result.IsKeyword);
    }

    [Fact]
    public void Classify_Null_IsNone()
    {
        Assert.Equal(OptOutIntent.None, classifier.Classify((string?)null).Intent);
    }

    [Fact]
    public void Classify_FrenchEnabled_RecognizesArretWithLanguage()
    {
        var options = new OptOutClassifierOptions();
        options.Languages.Add("fr");
        var withFrench = new OptOutClassifier(options);

        var result = withFrench.Classify("Arret.");

        Assert.Equal(OptOutIntent.OptOut, result.Intent);
        Assert.Equal("ARRET", result.Keyword);
        Assert.Equal("fr", result.Language);
        Assert.Equal("en", withFrench.Classify("stop").Language);
    }

    [Fact]
    public void Classify_CustomKeywords_AreMatchedWithTheirLanguage()
    {
        var options = new OptOutClassifierOptions()
            .AddKeywords(OptOutIntent.OptOut, "es", "BAJA", "parar")
            .AddKeywords(OptOutIntent.Help, "es", "AYUDA");
        var custom = new OptOutClassifier(options);

        Assert.Equal(new[] { "BAJA", "PARAR", "AYUDA" }, new[] { custom.Classify("baja").Keyword, custom.Classify("Parar!").Keyword, custom.Classify("ayuda").Keyword });
        Assert.Equal("es", custom.Classify("PARAR").Language);
        Assert.Equal(OptOutIntent.Help, custom.Classify("AYUDA").Intent);
        Assert.Equal(OptOutIntent.OptOut, custom.Classify("STOP").Intent);
    }

    [Fact]
    public void Constructor_NoLanguagesNoKeywords_ClassifiesEverythingAsNone()
    {
        var options = new OptOutClassifierOptions();
        options.Languages.Clear();

        Assert.Equal(OptOutIntent.None, new OptOutClassifier(options).Classify("STOP").Intent);
    }

    [Theory]
    [InlineData("OPT OUT")]
    [InlineData("")]
    [InlineData("...")]
    public void Constructor_InvalidCustomKeyword_Throws(string keyword)
    {
        var options = new OptOutClassifierOptions().AddKeywords(OptOutIntent.OptOut, "custom", keyword);

        Assert.Throws<ArgumentException>(() => new OptOutClassifier(options));
    }

    [Fact]
    public void Constructor_KeywordWithTwoIntents_Throws()
    {
        var options = new OptOutClassifierOptions().AddKeywords(OptOutIntent.OptIn, "custom", "stop");

        var error = Assert.Throws<ArgumentException>(() => new OptOutClassifier(options));
        Assert.Contains("stop", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_UnknownBuiltInLanguage_ThrowsNamingIt()
    {
        var options = new OptOutClassifierOptions();
        options.Languages.Add("xx");

        var error = Assert.Throws<ArgumentException>(() => new OptOutClassifier(options));
        Assert.Contains("'xx'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddKeywords_NoneIntent_Throws()
    {
        Assert.Throws<ArgumentException>(() => new OptOutClassifierOptions().AddKeywords(OptOutIntent.None, "en", "X"));
    }

    [Fact]
    public void BuiltInLanguages_ListsEnglishAndFrench()
    {
        Assert.Equal(new[] { "en", "fr" }, OptOutClassifier.BuiltInLanguages);
    }

    [Fact]
    public void Classify_KeywordAndNonKeyword_AllocateNothing()
    {
        const string Long = "Hello, I would like to know my order status, please answer soon";
        _ = classifier.Classify("Stop!");
        _ = classifier.Classify(Long);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            _ = classifier.Classify("Stop!");
            _ = classifier.Classify(Long);
            _ = classifier.Classify("ＳＴＯＰ");
            _ = classifier.Classify("Stop please");
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
