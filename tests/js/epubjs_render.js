// Open an EPUB in epub.js inside headless Chromium and report what it rendered.
//
//   node epubjs_render.js BOOK.epub SHOT.png [SPINE_INDEX]
//
// Prints one JSON object: {ok, href, title, language, toc, headings, paragraphs, text}.
// Every request goes to a made-up origin answered by page.route, so nothing leaves the
// machine and no port is opened. CHROMIUM (env) overrides the browser path.
"use strict";

const fs = require("fs");
const path = require("path");
const { execFileSync } = require("child_process");
const { chromium } = require("playwright-core");

const [bookPath, shotPath, spineArg] = process.argv.slice(2);
if (!bookPath || !shotPath) {
  console.error("usage: node epubjs_render.js BOOK.epub SHOT.png [SPINE_INDEX]");
  process.exit(2);
}
const spineIndex = Number(spineArg || 0);
const origin = "http://epubjs.test";
const assets = {
  "/jszip.js": require.resolve("jszip/dist/jszip.min.js"),
  "/epub.js": require.resolve("epubjs/dist/epub.min.js"),
  "/book.epub": path.resolve(bookPath),
};
const types = { ".js": "application/javascript", ".epub": "application/epub+zip" };

const page = `<!doctype html><meta charset="utf-8">
<script src="/jszip.js"></script><script src="/epub.js"></script>
<style>html,body{margin:0;background:#fff}#reader{width:900px;height:1200px}</style>
<div id="reader"></div>
<script>
(async () => {
  try {
    const book = ePub("${origin}/book.epub", { openAs: "epub" });
    const rendition = book.renderTo("reader", { width: 900, height: 1200, flow: "scrolled-doc" });
    await book.ready;
    await book.loaded.navigation;
    const section = book.spine.get(${spineIndex});
    rendition.on("rendered", (rendered, view) => {
      const doc = view.document || (view.iframe && view.iframe.contentDocument);
      const text = (sel) => Array.from(doc.querySelectorAll(sel), (n) => n.textContent.trim());
      window.__report = {
        ok: true,
        href: rendered.href,
        title: book.packaging.metadata.title,
        language: book.packaging.metadata.language,
        toc: book.navigation.toc.map((t) => t.label.trim()),
        headings: text("h1, h2, h3"),
        paragraphs: text("p"),
        subtitle: text('[role="doc-subtitle"]'),
        images: Array.from(doc.querySelectorAll("img"), (i) => ({
          alt: i.getAttribute("alt"), loaded: i.complete && i.naturalWidth > 0 })),
      };
    });
    await rendition.display(section.href);
  } catch (error) {
    window.__report = { ok: false, error: String((error && error.stack) || error) };
  }
})();
</script>`;

function chromiumPath() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  return execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"])
    .toString().trim();
}

(async () => {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--no-first-run", "--disable-sync"],
  });
  try {
    const tab = await browser.newPage({ viewport: { width: 900, height: 1200 } });
    tab.on("pageerror", (e) => console.error("[page error]", e.message));
    await tab.route("**/*", async (route) => {
      const url = new URL(route.request().url());
      if (url.origin !== origin) return route.abort();
      if (url.pathname === "/") return route.fulfill({ body: page, contentType: "text/html" });
      const file = assets[url.pathname];
      if (!file) return route.fulfill({ status: 404, body: "" });
      return route.fulfill({ body: fs.readFileSync(file), contentType: types[path.extname(file)] });
    });
    await tab.goto(origin + "/");
    await tab.waitForFunction(() => window.__report, null, { timeout: 30000 });
    const report = await tab.evaluate(() => window.__report);
    await tab.waitForTimeout(300);
    await tab.screenshot({ path: shotPath });
    console.log(JSON.stringify(report));
    process.exitCode = report.ok ? 0 : 1;
  } finally {
    await browser.close();
  }
})().catch((error) => {
  console.error(String((error && error.stack) || error));
  process.exit(2);
});
