"""What matplotlib draws for the book's Trainer.plot(), for the loss figure of ch4_3_2.

The book's common/trainer.py plots its loss_list with matplotlib's defaults:

    x = numpy.arange(len(self.loss_list))
    plt.plot(x, self.loss_list, label='train')
    plt.xlabel('iterations (x' + str(self.eval_interval) + ')')
    plt.ylabel('loss')
    plt.show()

This script does the same for a set of loss lists (a training's curve, short runs, flat and
empty ones, values that need matplotlib's offset or order of magnitude, negative values, a NaN),
saves each as SVG with the text kept as text, and prints what was drawn: the view limits, each
tick's position and label, and every text's position. src/page/plot.rs must draw the same.

    python3 chapters/golden/loss_plot.py > chapters/golden/loss_plot.txt

With --compare, it draws the book's figure for the curve in one of our SVG files (the curve read
back from the SVG through its tick labels) and puts the two side by side in a PNG, to be looked
at (needs cairosvg to render ours):

    python3 chapters/golden/loss_plot.py --compare cbow_loss.svg side_by_side.png

Made with matplotlib 3.11.2 (pip install matplotlib; its default style, DejaVu Sans).
"""
import io
import math
import re
import sys

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy  # noqa: E402


def book_plot(loss_list, eval_interval):
    """common/trainer.py's Trainer.plot, without plt.show()."""
    plt.figure()
    x = numpy.arange(len(loss_list))
    plt.plot(x, loss_list, label="train")
    plt.xlabel("iterations (x" + str(eval_interval) + ")")
    plt.ylabel("loss")


def svg_of_current_figure():
    plt.rcParams["svg.fonttype"] = "none"
    plt.rcParams["svg.hashsalt"] = "golden"
    out = io.StringIO()
    plt.savefig(out, format="svg", metadata={"Date": None})
    plt.close()
    return out.getvalue()


def drawn(svg):
    """The ticks and texts of a matplotlib SVG, in the order drawn."""
    lines = []
    for kind, body in re.findall(r'<g id="([xy])tick_\d+">(.*?)</g>\s*<g id="text_', svg, re.S):
        (x, y) = re.search(r'<use [^>]*x="([^"]+)" y="([^"]+)"', body).groups()
        lines.append(f"{kind}tick {x if kind == 'x' else y}")
    for style, x, y, rot, text in re.findall(
        r'<text style="([^"]*)" x="([^"]+)" y="([^"]+)" transform="rotate\(([-\d.]+) [^)]*\)">([^<]*)</text>',
        svg,
    ):
        anchor = re.search(r"text-anchor: (\w+)", style).group(1)
        lines.append(f"text {x} {y} {rot} {anchor} {text}")
    return lines


def cases():
    i = numpy.arange(465)
    # a training's curve as ch4_3_2's default run draws it: 465 points, 4.16 down to about 2.4
    curve = numpy.round(2.4 + 1.76 * numpy.exp(-i / 80) + 0.05 * numpy.sin(i * 12.9898), 4)
    yield "curve", [float(v) for v in curve], 20
    # the snapshot's run: 101 iterations, 5 points
    yield "five", [4.1589, 4.1571, 4.1512, 4.1402, 4.1213], 20
    yield "empty", [], 20
    yield "one", [4.16], 20
    yield "flat", [2.5, 2.5, 2.5], 20
    yield "zeros", [0.0, 0.0], 20
    # a span so narrow beside its values that matplotlib prints an offset (+1e3)
    yield "offset", [1000.0012, 1000.0017, 1000.0015, 1000.0021], 20
    # values so large that the labels are scaled (1e7)
    yield "order", [1.5e7, 2.5e7, 1.8e7, 3.2e7], 20
    yield "small", [0.00012, 0.00031, 0.00025], 20
    yield "negative", [0.5, -0.25, -1.75, -0.5], 10
    yield "nan", [3.0, 2.8, float("nan"), 2.5, 2.45, 2.42], 20
    yield "inf", [3.0, float("inf"), 2.5, 2.4], 20
    yield "long", [float(v) for v in numpy.round(2.0 + 2.0 / (1 + numpy.arange(4650) / 300), 3)], 100
    # so many points that the x labels are scaled (1e6)
    yield "million", [2.5] * 1_200_000, 20


def golden():
    print(f"# made by chapters/golden/loss_plot.py with matplotlib {matplotlib.__version__}")
    for name, loss_list, eval_interval in cases():
        book_plot(loss_list, eval_interval)
        ax = plt.gca()
        xlim, ylim = ax.get_xlim(), ax.get_ylim()
        svg = svg_of_current_figure()
        print(f"case {name} {eval_interval}")
        if len(loss_list) > 1 and len(set(loss_list)) == 1:
            print(f"loss {loss_list[0]!r}*{len(loss_list)}")
        else:
            print("loss " + " ".join(repr(v) for v in loss_list))
        print(f"xlim {float(xlim[0])!r} {float(xlim[1])!r}")
        print(f"ylim {float(ylim[0])!r} {float(ylim[1])!r}")
        for line in drawn(svg):
            print(line)


def curve_of(svg):
    """Our SVG's curve and eval_interval, read back through its y tick labels."""
    at = re.findall(r'<use class="ytick" [^>]*y="([^"]+)"', svg)
    labels = re.findall(r'<text class="ytick"[^>]*>([^<]*)</text>', svg)
    offset = re.search(r'<text class="yoffset"[^>]*>([^<]*)</text>', svg)
    if len(at) < 2 or offset:
        sys.exit("--compare needs an SVG of ours with two y ticks and no offset")
    (y0, v0), (y1, v1) = [(float(y), float(v.replace("\u2212", "-"))) for y, v in zip(at, labels)][:2]
    points = re.search(r'<path class="loss" d="([^"]*)"', svg).group(1)
    losses = []
    for move, y in re.findall(r"([ML]) [^ ]+ ([^ ]+)", points):
        losses.append(v0 + (float(y) - y0) * (v1 - v0) / (y1 - y0))
    interval = int(re.search(r"iterations \(x(\d+)\)", svg).group(1))
    return losses, interval


def compare(ours_path, png_path):
    import cairosvg
    from PIL import Image

    ours = open(ours_path, encoding="utf-8").read()
    losses, interval = curve_of(ours)
    book_plot(losses, interval)
    book = svg_of_current_figure()
    images = [Image.open(io.BytesIO(cairosvg.svg2png(bytestring=s.encode(), scale=1.5))).convert("RGB")
              for s in (book, ours)]
    width = sum(image.width for image in images)
    side = Image.new("RGB", (width, max(image.height for image in images)), "white")
    side.paste(images[0], (0, 0))
    side.paste(images[1], (images[0].width, 0))
    side.save(png_path)
    difference = numpy.abs(numpy.asarray(images[0], dtype=int) - numpy.asarray(images[1], dtype=int)).max(axis=2)
    print(f"{png_path}: matplotlib (the book's Trainer.plot) on the left, ours on the right; "
          f"{len(losses)} points, largest {max(losses):.4f}, smallest {min(losses):.4f}; "
          f"{(difference > 32).sum()} of {difference.size} pixels differ by more than 32 of 255")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--compare"]:
        compare(sys.argv[2], sys.argv[3])
    else:
        golden()
