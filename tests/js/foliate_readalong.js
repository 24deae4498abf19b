// Play an EPUB 3 read-along book (Media Overlays) in foliate-js inside headless Chromium and
// record what a reader sees: which sentence is highlighted, and when.
//
//   node foliate_readalong.js BOOK.epub SECONDS [SHOT.png]
//
// Opens the book in <foliate-view>, goes to the first spine item that has a media overlay,
// starts the overlay at rate 1 and watches SECONDS of playback (counted from the moment the
// audio really started playing). Prints one JSON object:
//
//   ok            true when the book opened, the audio played and no error was seen
//   error         the in-page failure, if any
//   activeClass   the class the book names in media:active-class (foliate's book.media)
//   section       {index, id, overlay}: the spine item whose overlay was played
//   playing       {t, position}: when the audio's "playing" event came (t: seconds on the page's
//                 performance clock) and the audio position then (the first clip's clipBegin)
//   origin        t - position at "playing": the page time at which position 0 would have
//                 played. Every `at` below is t - origin, i.e. a position on the audio's timeline
//                 as a clock running from that start would read it (rate 1)
//   highlights    foliate's own mediaOverlay events: [{event, text, begin, end, t, at, position}]
//   active        from polling the section document every 50 ms, independently of the events:
//                 each change of the set of elements carrying activeClass,
//                 [{ids, t, at, position, previousT}] (position: the audio's currentTime read in
//                 the same poll; previousT: the poll before, so the change happened in between)
//   mutations     the same changes seen by a MutationObserver (exact task time, no polling lag)
//   clock         [t, position] pairs every ~0.5 s, to check the audio clock ran at rate 1
//   polls         number of polls and the largest gap between two polls (seconds)
//   pageErrors    uncaught page errors; consoleErrors: console.error messages (foliate
//                 reports its own failures there too); mediaErrors: foliate "error" events
//   blocked       requests that tried to leave the fake origin (refused)
//   shot          the screenshot path, taken at the end while a sentence is highlighted
//
// Every request goes to a made-up origin answered by page.route: nothing leaves the machine and
// no port is opened. Chromium runs with --autoplay-policy=no-user-gesture-required so the audio
// plays without a click; it needs no sound device. CHROMIUM (env) overrides the browser path.
"use strict";

const fs = require("fs");
const path = require("path");
const { execFileSync } = require("child_process");
const { chromium } = require("playwright-core");

const [bookPath, secondsArg, shotPath] = process.argv.slice(2);
const SECONDS = Number(secondsArg);
if (!bookPath || !(SECONDS > 0)) {
  console.error("usage: node foliate_readalong.js BOOK.epub SECONDS [SHOT.png]");
  process.exit(2);
}
const ORIGIN = "http://foliate.test";
const FOLIATE = path.dirname(require.resolve("foliate-js/view.js"));
const POLL_MS = 50;
const START_TIMEOUT = 30000;

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>read-along</title>
<style>html,body{margin:0;background:#fff} foliate-view{display:block;width:900px;height:1000px}</style>
<script>
// Instrumentation only: foliate keeps its Audio element private, so note every media element
// that is asked to play, and what it does. foliate itself is not changed.
window.__rec = { audio: null, events: [], playing: null, err: null, started: false };
const __play = HTMLMediaElement.prototype.play;
HTMLMediaElement.prototype.play = function (...args) {
  const rec = window.__rec;
  if (rec.audio !== this) {
    rec.audio = this;
    for (const type of ["playing", "pause", "seeked", "waiting", "stalled", "ended", "error"]) {
      this.addEventListener(type, () => {
        const t = performance.now() / 1000;
        rec.events.push({ type, t, position: this.currentTime });
        if (type === "playing" && !rec.playing) rec.playing = { t, position: this.currentTime };
      });
    }
  }
  return __play.apply(this, args);
};
</script></head><body>
<foliate-view id="view"></foliate-view>
<script type="module">
import "/foliate/view.js";
const rec = window.__rec;
const now = () => performance.now() / 1000;
const position = () => (rec.audio ? rec.audio.currentTime : null);
try {
  const view = document.getElementById("view");
  const blob = await (await fetch("/book.epub")).blob();
  await view.open(new File([blob], "book.epub", { type: "application/epub+zip" }));
  const book = view.book;
  const index = book.sections.findIndex((s) => s.mediaOverlay);
  if (index < 0 || !view.mediaOverlay) throw new Error("no section has a media overlay");
  rec.activeClass = book.media.activeClass ?? null;
  rec.section = { index, id: book.sections[index].id, overlay: book.sections[index].mediaOverlay.href };
  rec.sections = book.sections.map((s) => s.id);
  await view.goTo(index);

  const mo = view.mediaOverlay;
  rec.highlights = [];
  rec.mediaErrors = [];
  for (const event of ["highlight", "unhighlight"]) {
    mo.addEventListener(event, (e) => {
      const d = e.detail || {};
      rec.highlights.push({ event, text: d.text ?? null, begin: d.begin ?? null, end: d.end ?? null,
        t: now(), position: position() });
    });
  }
  mo.addEventListener("error", (e) => rec.mediaErrors.push(String(e.detail && (e.detail.stack || e.detail))));

  // Watch the section's document: a 50 ms poll and a MutationObserver, both independent of
  // foliate's events. foliate's paginator keeps its shadow root closed, so the document comes
  // from its public getContents().
  const docOf = () => view.renderer.getContents()[0]?.doc ?? null;
  const activeIds = (doc) => doc
    ? [...doc.getElementsByClassName(rec.activeClass)].map((el) => el.id || el.tagName) : [];
  rec.active = [];
  rec.mutations = [];
  rec.clock = [];
  rec.polls = { count: 0, maxGap: 0 };
  let last = "", lastT = null, lastClock = -1, observed = null, lastMutation = "";
  const observe = (doc) => {
    if (!doc || observed === doc) return;
    observed = doc;
    new MutationObserver(() => {
      const ids = activeIds(doc), key = ids.join(" ");
      if (key === lastMutation) return;
      lastMutation = key;
      rec.mutations.push({ ids, t: now(), position: position() });
    }).observe(doc.documentElement, { attributes: true, attributeFilter: ["class"], subtree: true });
  };
  const poll = () => {
    const t = now();
    const doc = docOf();
    observe(doc);
    const ids = activeIds(doc), key = ids.join(" ");
    if (key !== last) {
      rec.active.push({ ids, t, position: position(), previousT: lastT });
      last = key;
    }
    if (lastT !== null) rec.polls.maxGap = Math.max(rec.polls.maxGap, t - lastT);
    rec.polls.count++;
    lastT = t;
    if (rec.audio && t - lastClock >= 0.5) { rec.clock.push([t, rec.audio.currentTime]); lastClock = t; }
  };
  poll();
  rec.timer = setInterval(poll, ${POLL_MS});
  window.__stop = () => { clearInterval(rec.timer); poll(); mo.stop(); };

  mo.setRate(1);
  await view.startMediaOverlay();
  rec.started = true;
} catch (e) {
  rec.err = String((e && e.stack) || e);
}
</script></body></html>`;

const TYPES = { ".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json" };

function chromiumPath() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  return execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"])
    .toString().trim();
}

const round = (x) => (typeof x === "number" ? Math.round(x * 1000) / 1000 : x);

(async () => {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--no-first-run", "--disable-sync",
      "--autoplay-policy=no-user-gesture-required",
      // keep the page's timers and media at full speed although nobody looks at it
      "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
      "--disable-backgrounding-occluded-windows"],
  });
  const pageErrors = [], consoleErrors = [], blocked = [];
  let shot = null;
  try {
    const page = await browser.newPage({ viewport: { width: 900, height: 1000 } });
    page.on("pageerror", (e) => pageErrors.push(String(e.message || e)));
    page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
    await page.route("**/*", async (route) => {
      const url = new URL(route.request().url());
      if (url.origin !== ORIGIN) { blocked.push(url.href); return route.abort(); }
      if (url.pathname === "/") return route.fulfill({ body: PAGE, contentType: "text/html" });
      if (url.pathname === "/book.epub") {
        return route.fulfill({ body: fs.readFileSync(bookPath), contentType: "application/epub+zip" });
      }
      if (url.pathname.startsWith("/foliate/")) {
        const file = path.resolve(FOLIATE, url.pathname.slice("/foliate/".length));
        if (file.startsWith(FOLIATE + path.sep) && fs.existsSync(file)) {
          const type = TYPES[path.extname(file)] || "application/octet-stream";
          return route.fulfill({ body: fs.readFileSync(file), contentType: type });
        }
      }
      return route.fulfill({ status: 404, body: "not found" });
    });
    await page.goto(ORIGIN + "/");
    // Wait for the audio to really play (or for a failure), then watch SECONDS of playback.
    await page.waitForFunction(() => window.__rec.playing || window.__rec.err, null,
      { timeout: START_TIMEOUT, polling: 50 }).catch(() => {});
    const begun = await page.evaluate(() => !!window.__rec.playing);
    if (begun) {
      await page.waitForFunction((s) => {
        const p = window.__rec.playing;
        return window.__rec.err || performance.now() / 1000 - p.t >= s;
      }, SECONDS, { timeout: SECONDS * 1000 + 10000, polling: 100 }).catch(() => {});
      if (shotPath) {
        await page.screenshot({ path: shotPath });
        shot = shotPath;
      }
    }
    await page.evaluate(() => window.__stop && window.__stop());
    const rec = await page.evaluate(() => {
      const r = window.__rec;
      return { err: r.err, activeClass: r.activeClass ?? null, section: r.section ?? null,
        sections: r.sections ?? [], playing: r.playing, events: r.events, highlights: r.highlights ?? [],
        active: r.active ?? [], mutations: r.mutations ?? [], clock: r.clock ?? [],
        polls: r.polls ?? null, mediaErrors: r.mediaErrors ?? [] };
    });
    const origin = rec.playing ? rec.playing.t - rec.playing.position : null;
    const at = (x) => ({ ...x, t: round(x.t), at: origin === null ? null : round(x.t - origin),
      position: round(x.position), ...(x.previousT !== undefined
        ? { previousT: round(x.previousT), previousAt: x.previousT === null || origin === null
          ? null : round(x.previousT - origin) } : {}) });
    let error = rec.err;
    if (!error && !rec.playing) error = "the audio never started playing";
    const report = {
      ok: !error && !pageErrors.length && !rec.mediaErrors.length,
      error: error || null,
      activeClass: rec.activeClass,
      section: rec.section,
      sections: rec.sections,
      seconds: SECONDS,
      playing: rec.playing && { t: round(rec.playing.t), position: round(rec.playing.position) },
      origin: round(origin),
      highlights: rec.highlights.map(at),
      active: rec.active.map(at),
      mutations: rec.mutations.map(at),
      audioEvents: rec.events.map(at),
      clock: rec.clock.map(([t, p]) => [round(t), round(p)]),
      polls: rec.polls && { count: rec.polls.count, maxGap: round(rec.polls.maxGap) },
      pageErrors,
      consoleErrors,
      mediaErrors: rec.mediaErrors,
      blocked,
      shot,
    };
    console.log(JSON.stringify(report));
    process.exitCode = report.ok ? 0 : 1;
  } finally {
    await browser.close();
  }
})().catch((error) => {
  console.error(String((error && error.stack) || error));
  process.exit(2);
});
