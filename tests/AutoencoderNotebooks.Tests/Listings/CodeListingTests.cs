using AutoencoderNotebooks.Autoencoders;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Listings;
using AutoencoderNotebooks.Sparse;
using AutoencoderNotebooks.Variational;

namespace AutoencoderNotebooks.Tests.Listings;

/// <summary>Listings show exactly the code that was compiled, cut at the right places.</summary>
public class CodeListingTests
{
    private static readonly string LibraryFolder = Path.Combine(AutoencoderNotebooks.Platform.RepositoryPaths.Root(), "lib", "AutoencoderNotebooks");

    [Fact]
    public void The_embedded_source_is_every_compiled_file_as_it_is_on_disk()
    {
        var onDisk = Directory.GetFiles(LibraryFolder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/") && !f.Contains("/bin/"))
            .ToDictionary(f => Path.GetRelativePath(LibraryFolder, f).Replace('\\', '/'), File.ReadAllText);
        Assert.Equal(onDisk.Keys.Order(StringComparer.Ordinal), LibrarySource.All.Keys.Order(StringComparer.Ordinal));
        Assert.All(onDisk, file => Assert.True(file.Value == LibrarySource.All[file.Key], $"{file.Key} changed since the build"));
    }

    [Fact]
    public void Tokens_cover_every_character_of_every_library_file()
    {
        foreach (var (file, text) in LibrarySource.All)
        {
            var tokens = CSharpTokens.Of(text);
            Assert.True(string.Concat(tokens.Select(t => text.Substring(t.Start, t.Length))) == text, file);
            Assert.All(tokens.Zip(tokens.Skip(1)), pair => Assert.Equal(pair.First.End, pair.Second.Start));
        }
    }

    [Theory]
    [InlineData("""var s = $"a {string.Join(", ", x)} b"; var t = 1;""", """$"a {string.Join(", ", x)} b" """)]
    [InlineData("""var s = @"c:\x""y"; var t = 1;""", """@"c:\x""y" """)]
    [InlineData("var s = \"\"\"\n  raw \" { }\n  \"\"\"; var t = 1;", "\"\"\"\n  raw \" { }\n  \"\"\" ")]
    [InlineData("var s = $$\"\"\"{\"a\": {{x}}}\"\"\"; var t = 1;", "$$\"\"\"{\"a\": {{x}}}\"\"\" ")]
    [InlineData("""var c = '"'; var s = "\"{"; var t = 1;""", """'"' """)]
    public void Strings_of_every_form_are_one_token(string source, string literal)
    {
        var tokens = CSharpTokens.Of(source);
        var strings = tokens.Where(t => t.Kind == TokenKind.String).Select(t => source.Substring(t.Start, t.Length)).ToList();
        Assert.Equal(literal.TrimEnd(' '), strings[0]);
        // What follows the literal is code again.
        Assert.Contains(tokens, t => t.Kind == TokenKind.Identifier && source.Substring(t.Start, t.Length) == "t");
    }

    [Fact]
    public void A_member_is_cut_from_its_doc_comment_to_its_end_and_numbered_by_the_files_lines()
    {
        var excerpt = LibrarySource.Of(typeof(SparsityPenalties), nameof(SparsityPenalties.KullbackLeibler));
        Assert.Equal("Sparse/SparsityPenalties.cs", excerpt.File);
        Assert.StartsWith("/// <summary>", excerpt.Text);
        Assert.Contains("public static Tensor KullbackLeibler(Tensor codings, double target)", excerpt.Text);
        Assert.EndsWith("}", excerpt.Text);
        Assert.DoesNotContain("BernoulliKl(double p", excerpt.Text);
        var lines = File.ReadAllLines(Path.Combine(LibraryFolder, excerpt.File))[(excerpt.FirstLine - 1)..excerpt.LastLine];
        Assert.Equal(lines.Select(l => l.Trim()), excerpt.Text.Split('\n').Select(l => l.Trim()));

        // An expression-bodied member ends at its semicolon.
        var reparameterize = LibrarySource.Of(typeof(VariationalAutoencoder), nameof(VariationalAutoencoder.Reparameterize)).Text;
        Assert.EndsWith(";", reparameterize);
        Assert.DoesNotContain("public Tensor Decode(", reparameterize);
    }

    [Fact]
    public void Overloads_come_together_or_one_by_number_and_unknown_names_say_so()
    {
        var both = LibrarySource.Of(typeof(Trainer), nameof(Trainer.Fit)).Text;
        Assert.Equal(2, both.Split("public static TrainingHistory Fit(").Length - 1);
        var second = LibrarySource.Of(typeof(Trainer), nameof(Trainer.Fit), overload: 1).Text;
        Assert.Single(second.Split("public static TrainingHistory Fit(").Skip(1));
        Assert.Contains("TrainingStep step", second);
        Assert.Contains("Fit has 2", Assert.Throws<ArgumentOutOfRangeException>(() => LibrarySource.Of(typeof(Trainer), nameof(Trainer.Fit), 2)).Message);
        Assert.Contains("No member Fitt", Assert.Throws<ArgumentException>(() => LibrarySource.Of(typeof(Trainer), "Fitt")).Message);
    }

    [Fact]
    public void A_whole_type_and_its_html_listing()
    {
        var type = LibrarySource.Of(typeof(DenoisingAutoencoder)).Text;
        Assert.Contains("public sealed class DenoisingAutoencoder", type);
        Assert.EndsWith("}", type);
        Assert.DoesNotContain("record DenoisingAutoencoderConfig", type);

        var html = CodeListing.Of(typeof(Trainer), nameof(Trainer.Fit), 1).Markup;
        Assert.Contains($"class=\"{CodeListing.CssClass}\" data-member=\"Trainer.Fit\"", html);
        var code = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(html[html.IndexOf("<pre", StringComparison.Ordinal)..], "<[^>]+>", ""));
        Assert.Equal(LibrarySource.Of(typeof(Trainer), nameof(Trainer.Fit), 1).Text, code);
        Assert.Contains("IEnumerable<ITrainingCallback>?", code);
        Assert.Contains("Core/Trainer.cs</code>, lines", html);
        Assert.DoesNotContain("<ITrainingCallback>", html);
    }
}
