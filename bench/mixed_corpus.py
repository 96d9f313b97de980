"""A mixed-format corpus for bench/index-bench --mixed: the first N text articles of a corpus
written out as PDFs, .docx, .odt and .epub files, and packed into .zip and .tar.gz containers,
with the writers of tests/fixtures/formats/documents/make-fixtures.py (PDFs object by object,
Office files and containers with zipfile and tarfile). Same input, same bytes.

Layout under OUT: pdf/ (one article a PDF, about 45 lines a page), office/ (.docx, .odt, .epub),
containers/ (.zip and .tar.gz of 10 text articles each), text/ (the rest as .txt), and
manifest.json: the counts (files, articles, PDF pages) the bench divides by.
"""
import importlib.util
import json
import os
import textwrap

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_spec = importlib.util.spec_from_file_location(
    "make_fixtures", os.path.join(REPO, "tests", "fixtures", "formats", "documents", "make-fixtures.py"))
fx = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fx)

LINES_PER_PAGE = 45
EXTS = (".txt", ".md")
# Shares of the articles, in this order: pdf, docx, odt, epub, zip, tar.gz; the rest stays text.
SHARES = (("pdf", 0.40), ("docx", 0.08), ("odt", 0.08), ("epub", 0.04), ("zip", 0.20), ("tgz", 0.10))


def read_article(path):
    with open(path, "rb") as f:
        raw = f.read().decode("utf-8", "replace")
    head, sep, body = raw.partition("\n\n")
    title = ""
    if sep and all(":" in l for l in head.splitlines() if l.strip()):
        for line in head.splitlines():
            if line.lower().startswith("title:"):
                title = line.split(":", 1)[1].strip()
    else:
        body = raw
    if not title:
        title = next((l.strip() for l in body.splitlines() if l.strip()), "untitled")[:120]
    return title, body, raw


def pdf(path, title, body):
    lines = [title, ""]  # a PDF shows its headline
    for para in body.split("\n"):
        lines += textwrap.wrap(para, 90) or [""]
    lines = [l.encode("latin-1", "replace").decode("latin-1") for l in lines]
    pages = [lines[i:i + LINES_PER_PAGE] for i in range(0, max(len(lines), 1), LINES_PER_PAGE)]
    t = title.encode("latin-1", "replace").decode("latin-1")
    fx.write_pdf(path, fx.text_page_objects(pages), fx.info_dict(t, "index-bench", "20230314093000Z"))
    return len(pages)


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def docx(path, title, body):
    body = title + "\n" + body
    paras = "".join('<w:p><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>' % esc(p) for p in body.split("\n"))
    fx.write_zip(path, [
        ("word/document.xml", '<?xml version="1.0" encoding="UTF-8"?><w:document %s><w:body>%s</w:body>'
         '</w:document>' % (fx.W, paras)),
        ("docProps/core.xml", '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.'
         'openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
         '<dc:title>%s</dc:title></cp:coreProperties>' % esc(title))])


def odt(path, title, body):
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"')
    paras = "".join("<text:p>%s</text:p>" % esc(p) for p in (title + "\n" + body).split("\n"))
    fx.write_zip(path, [
        ("content.xml", '<?xml version="1.0" encoding="UTF-8"?><office:document-content %s><office:body>'
         '<office:text>%s</office:text></office:body></office:document-content>' % (ns, paras)),
        ("meta.xml", '<?xml version="1.0" encoding="UTF-8"?><office:document-meta %s><office:meta><dc:title>%s'
         '</dc:title></office:meta></office:document-meta>' % (ns, esc(title)))])


def epub(path, title, body):
    html = ('<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml"><body>%s</body></html>'
            % "".join("<p>%s</p>" % esc(p) for p in (title + "\n" + body).split("\n")))
    fx.write_zip(path, [
        ("META-INF/container.xml", '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:'
         'opendocument:xmlns:container"><rootfiles><rootfile full-path="content.opf"/></rootfiles></container>'),
        ("content.opf", '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata '
         'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>%s</dc:title></metadata><manifest><item id="c" '
         'href="c.xhtml"/></manifest><spine><itemref idref="c"/></spine></package>' % esc(title)),
        ("c.xhtml", html)])


def make(corpus, out, n):
    """Writes the mixed corpus of the first n articles of corpus into out (unless it is there)."""
    manifest_path = os.path.join(out, "manifest.json")
    if os.path.exists(manifest_path):
        with open(manifest_path) as f:
            m = json.load(f)
        if m.get("source") == os.path.abspath(corpus) and m.get("n") == n:
            return m
    files = []
    for d, dirs, names in os.walk(corpus):
        dirs.sort()
        files += [os.path.join(d, f) for f in sorted(names) if f.endswith(EXTS)]
    files = files[:n]
    for sub in ("pdf", "office", "containers", "text"):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
    m = {"source": os.path.abspath(corpus), "n": n, "files": 0, "articles": len(files), "pdf_files": 0,
         "pdf_pages": 0, "pdf_bytes": 0}
    i = 0
    for kind, share in SHARES:
        count = int(len(files) * share)
        chunk, i = files[i:i + count], i + count
        if kind in ("zip", "tgz"):
            for k in range(0, len(chunk), 10):
                members = [("%d/%s" % (k + j, os.path.basename(p)), open(p, "rb").read())
                           for j, p in enumerate(chunk[k:k + 10])]
                name = os.path.join(out, "containers", "bundle-%s-%05d.%s" % (kind, k, "zip" if kind == "zip" else "tar.gz"))
                if kind == "zip":
                    fx.write_zip(name, members)
                else:
                    with open(name, "wb") as f:
                        f.write(fx.tar_bytes(members, gz=True))
                m["files"] += 1
            continue
        for k, p in enumerate(chunk):
            title, body, _ = read_article(p)
            sub = "pdf" if kind == "pdf" else "office"
            name = os.path.join(out, sub, "%s-%05d.%s" % (kind, k, kind))
            if kind == "pdf":
                m["pdf_pages"] += pdf(name, title, body)
                m["pdf_files"] += 1
                m["pdf_bytes"] += os.path.getsize(name)
            else:
                {"docx": docx, "odt": odt, "epub": epub}[kind](name, title, body)
            m["files"] += 1
    for k, p in enumerate(files[i:]):
        with open(p, "rb") as src, open(os.path.join(out, "text", "%05d.txt" % k), "wb") as dst:
            dst.write(src.read())
        m["files"] += 1
    with open(manifest_path, "w") as f:
        json.dump(m, f, indent=1)
    return m
