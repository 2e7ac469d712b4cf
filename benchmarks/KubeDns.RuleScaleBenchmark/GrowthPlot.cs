using System.Globalization;
using System.Text;

namespace KubeDns.RuleScaleBenchmark;

/// <summary>
/// The growth curve as an SVG line chart written by the benchmark itself (no plotting library: a few lines
/// of SVG are the whole job): seconds of a full <c>--apply</c> against services, one line per back end,
/// with a dashed line through the 1,000-service point of each at linear growth for reference.
/// </summary>
internal static class GrowthPlot
{
    private const int Width = 720;
    private const int Height = 440;
    private const int Left = 70;
    private const int Right = 190;
    private const int Top = 40;
    private const int Bottom = 60;
    private static readonly string[] Colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"];

    public static void Write(string path, string title, IReadOnlyList<(string Name, IReadOnlyList<(int Services, double Seconds)> Points)> series)
    {
        var finite = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.Seconds)).ToList();
        var maxX = finite.Max(p => p.Services);
        var maxY = Math.Max(1, Math.Ceiling(finite.Max(p => p.Seconds) / 5) * 5);
        double X(double services) => Left + (services / maxX * (Width - Left - Right));
        double Y(double seconds) => Height - Bottom - (seconds / maxY * (Height - Top - Bottom));

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n<text x=\"{Left}\" y=\"22\" font-size=\"14\">{Escape(title)}</text>\n");
        for (var tick = 0; tick <= 5; tick++)
        {
            var seconds = maxY * tick / 5;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Y(seconds):F1}\" y2=\"{Y(seconds):F1}\" stroke=\"#ddd\"/><text x=\"{Left - 8}\" y=\"{Y(seconds) + 4:F1}\" text-anchor=\"end\">{seconds:0.#} s</text>\n");
        }

        foreach (var services in finite.Select(p => p.Services).Distinct().Order())
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(services):F1}\" y=\"{Height - Bottom + 18}\" text-anchor=\"middle\">{services / 1000}k</text>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 18}\" text-anchor=\"middle\">services (10 endpoints each)</text>\n");
        for (var i = 0; i < series.Count; i++)
        {
            var (name, points) = series[i];
            var colour = Colours[i % Colours.Length];
            var drawn = points.Where(p => double.IsFinite(p.Seconds)).OrderBy(p => p.Services).ToList();
            if (drawn.Count == 0)
            {
                continue;
            }

            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{string.Join(' ', drawn.Select(p => string.Create(CultureInfo.InvariantCulture, $"{X(p.Services):F1},{Y(p.Seconds):F1}")))}\"/>\n");
            foreach (var (services, seconds) in drawn)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(services):F1}\" cy=\"{Y(seconds):F1}\" r=\"3\" fill=\"{colour}\"/>\n");
            }

            // Linear growth from the smallest point, clipped to the chart.
            var (firstServices, firstSeconds) = drawn[0];
            var linearAtMax = firstSeconds * maxX / firstServices;
            var (endX, endY) = linearAtMax <= maxY ? (maxX, linearAtMax) : (maxY / firstSeconds * firstServices, maxY);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{X(firstServices):F1}\" y1=\"{Y(firstSeconds):F1}\" x2=\"{X(endX):F1}\" y2=\"{Y(endY):F1}\" stroke=\"{colour}\" stroke-dasharray=\"4 4\" opacity=\"0.6\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Width - Right + 14}\" y=\"{Top + (i * 22)}\" width=\"14\" height=\"3\" fill=\"{colour}\"/><text x=\"{Width - Right + 34}\" y=\"{Top + (i * 22) + 5}\">{Escape(name)}</text>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right + 14}\" y=\"{Top + (series.Count * 22) + 10}\" fill=\"#666\">dashed: linear growth</text>\n</svg>\n");
        File.WriteAllText(path, svg.ToString());
    }

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);
}
