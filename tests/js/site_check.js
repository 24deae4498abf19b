// Open pages of a newsvoice site in headless Chromium, as a listener would, and report.
//
//   node site_check.js BASE_URL PATH...        e.g. http://127.0.0.1:8000/ index.html
//
// Prints one JSON object: {ok, offsite, pages: {PATH: {...}}}. For every page: the
// axe-core violations (WCAG 2.0/2.1/2.2 A and AA, plus best practice; in the light and the
// dark colour scheme), console errors and warnings, uncaught page errors,
// Content-Security-Policy violations, failed requests, requests that left the site's origin
// (they are refused), the focus order from the top of the page and whether the page
// reflows at 320 CSS pixels. On a page with the player (#player) it also plays the audio,
// clicks the last chapter link with the mouse, then goes back one chapter link with
// Shift+Tab and presses Enter, and reports where the player went each time. On a page with
// a read-along transcript it samples the highlighted sentence while playing, clicks a
// sentence, plays one from the keyboard alone, tries back/forward, sets the speed, reloads
// (speed and position must survive; nothing may autoplay), and opens every page once more
// with JavaScript off. ARTIFACTS (env), when set, is a folder for screenshots.
//
// The page's CSP (script-src 'self') stays enforced: axe is served from the page's own
// origin by a route, so the test sees exactly what a reader's browser does. CHROMIUM (env)
// overrides the browser path.
"use strict";

const fs = require("fs");
const { execFileSync } = require("child_process");
const { chromium } = require("playwright-core");

const [baseArg, ...paths] = process.argv.slice(2);
if (!baseArg || !paths.length) {
  console.error("usage: node site_check.js BASE_URL PATH...");
  process.exit(2);
}
const base = new URL(baseArg);
const origin = base.origin;
const AXE_URL = `${origin}/__site_check__/axe.min.js`;
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];
const WAIT = 15000;

function chromiumPath() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  return execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"])
    .toString().trim();
}

async function axe(page) {
  const loaded = await page.evaluate(() => typeof window.axe !== "undefined");
  if (!loaded) await page.addScriptTag({ url: AXE_URL });
  const results = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, {
      runOnly: { type: "tag", values: tags },
      resultTypes: ["violations"],
    });
    return {
      version: r.testEngine.version,
      passes: r.passes.length,
      incomplete: r.incomplete.map((i) => i.id),
      violations: r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })),
      })),
    };
  }, AXE_TAGS);
  return results;
}

// Where the focus is, described for a person reading the report.
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return {
      tag: el.tagName.toLowerCase(),
      text: (el.textContent || "").replace(/\s+/g, " ").trim().slice(0, 60),
      href: el.getAttribute("href"),
      outline: el.tagName === "AUDIO" ? null : `${style.outlineStyle} ${style.outlineWidth}`,
      // Focus not obscured (WCAG 2.4.11): the focused element is on screen, with a size.
      visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
        && box.top < innerHeight && box.left < innerWidth,
    };
  });
}

async function tabOrder(page, limit) {
  const order = [];
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press("Tab");
    // The page scrolls smoothly (unless the reader prefers reduced motion): give the
    // focused element a moment to come into view.
    await page.waitForFunction(() => {
      const box = (document.activeElement || document.body).getBoundingClientRect();
      return box.bottom > 0 && box.top < innerHeight;
    }, null, { timeout: 2000 }).catch(() => {});
    const now = await focused(page);
    if (!now) break; // wrapped past the end of the page
    const last = order[order.length - 1];
    // The audio element's own controls are several stops that all report the <audio>.
    if (last && now.tag === "audio" && last.tag === "audio") continue;
    order.push(now);
  }
  return order;
}

async function reflow(page) {
  await page.setViewportSize({ width: 320, height: 800 });
  await page.waitForTimeout(100);
  const sizes = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  await page.setViewportSize({ width: 1280, height: 900 });
  return sizes;
}

const state = () => {
  const p = document.getElementById("player");
  return {
    currentTime: p.currentTime,
    paused: p.paused,
    seeks: window.__seeks,
    current: (document.querySelector("a.seek[aria-current]") || {}).textContent || null,
    speaking: document.querySelectorAll(".transcript .speaking").length,
    location: location.href,
  };
};

// Seek with a real input (the mouse or the keyboard) and wait for the player to get there.
async function seekBy(page, act) {
  const before = await page.evaluate(() => window.__seeks);
  await act();
  await page.waitForFunction(
    (n) => window.__seeks > n && !document.getElementById("player").seeking, before,
    { timeout: WAIT });
  return page.evaluate(state);
}

async function playback(page) {
  const links = page.locator("a.seek[data-start]");
  const count = await links.count();
  const out = { chapters: count };
  await page.evaluate(() => {
    window.__seeks = 0;
    document.getElementById("player").addEventListener("seeked", () => { window.__seeks += 1; });
  });
  await page.evaluate(() => document.getElementById("player").play());
  await page.waitForFunction(() => document.getElementById("player").currentTime > 0.3, null,
    { timeout: WAIT });
  out.played = await page.evaluate(state);

  const last = links.nth(count - 1);
  out.mouse = {
    start: Number(await last.getAttribute("data-start")),
    title: (await last.locator(".chapter-title").textContent()).trim(),
    ...(await seekBy(page, () => last.click())),
  };

  // The keyboard: from the link just clicked, Shift+Tab to the one before it, then Enter.
  if (count > 1) {
    const target = links.nth(count - 2);
    const start = Number(await target.getAttribute("data-start"));
    let presses = 0;
    while (presses < 10 && !(await target.evaluate((a) => a === document.activeElement))) {
      await page.keyboard.press("Shift+Tab");
      presses += 1;
    }
    out.keyboard = {
      start,
      title: (await target.locator(".chapter-title").textContent()).trim(),
      presses,
      focused: await focused(page),
      ...(await seekBy(page, () => page.keyboard.press("Enter"))),
    };
  }
  // Let it play on so the current chapter and sentence get marked, then report them.
  await page.waitForTimeout(1200);
  out.after = await page.evaluate(state);
  await page.evaluate(() => document.getElementById("player").pause());
  return out;
}

const ARTIFACTS = process.env.ARTIFACTS || "";

async function shoot(page, name) {
  if (ARTIFACTS) {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: false });
  }
}

const readState = () => {
  const p = document.getElementById("player");
  const spans = Array.from(document.querySelectorAll(".read-along .s"));
  return {
    currentTime: p.currentTime,
    paused: p.paused,
    rate: p.playbackRate,
    speaking: spans.map((s, i) => (s.classList.contains("speaking") ? i : -1)).filter((i) => i >= 0),
    focused: spans.indexOf(document.activeElement),
    inView: spans.some((s) => {
      if (!s.classList.contains("speaking")) return false;
      const box = s.getBoundingClientRect();
      return box.top >= 0 && box.bottom <= innerHeight;
    }),
    scrollY: Math.round(scrollY),
    tabStops: spans.filter((s) => s.tabIndex === 0).length,
    seeked: window.__seeked.length ? window.__seeked[window.__seeked.length - 1] : null,
    chapter: (document.querySelector(".now-chapter") || {}).textContent || null,
  };
};

// Act, then wait until the player has seeked (the seeked event's currentTime is kept).
async function seeked(page, act) {
  const before = await page.evaluate(() => window.__seeked.length);
  await act();
  await page.waitForFunction(
    (n) => window.__seeked.length > n && !document.getElementById("player").seeking, before,
    { timeout: WAIT });
  return page.evaluate(readState);
}

const pause = (page) => page.evaluate(() => document.getElementById("player").pause());

async function readAlong(page, path) {
  const box = page.locator("details.read-along-box");
  if (await box.count()) await box.locator("summary").click(); // the embed's expander
  const spans = page.locator(".read-along .s");
  const timing = await page.evaluate(() => Array.from(document.querySelectorAll(".read-along .s"))
    .map((s) => [Number(s.dataset.start), Number(s.dataset.end)]));
  const n = timing.length;
  const out = { sentences: n, timing, samples: [] };
  // Three moments while playing: the highlighted sentence against the timing table.
  for (const i of [2, Math.floor(n / 2), n - 3]) {
    const at = timing[i][0] + (timing[i][1] - timing[i][0]) * 0.3;
    await seeked(page, () => page.evaluate((t) => {
      const p = document.getElementById("player");
      p.currentTime = t;
      p.play();
    }, at));
    await page.waitForTimeout(400);
    out.samples.push({ index: i, ...(await page.evaluate(readState)) });
  }
  await shoot(page, `${path.replace(/\W+/g, "-").replace(/-+$/, "")}-playing`);
  await pause(page);
  // The mouse: click the eleventh sentence.
  out.click = { index: 10, start: timing[10][0], ...(await seeked(page, () => spans.nth(10).click())) };
  await pause(page);
  // The keyboard alone: from the last chapter link Tab into the transcript, move with the
  // arrow keys, Enter; then one Tab leaves it.
  await page.locator("a.seek").last().focus();
  let presses = 0;
  while (presses < 6 && !(await page.evaluate(() => document.activeElement.matches(".read-along .s")))) {
    await page.keyboard.press("Tab");
    presses += 1;
  }
  const entered = await page.evaluate(readState);
  await page.keyboard.press("Home");
  for (let k = 0; k < 12; k += 1) await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowUp");
  const moved = await page.evaluate(readState);
  out.keys = {
    presses,
    entered: entered.focused,
    index: moved.focused,
    tabStops: moved.tabStops,
    start: moved.focused >= 0 ? timing[moved.focused][0] : null,
    ...(await seeked(page, () => page.keyboard.press("Enter"))),
  };
  await page.keyboard.press("Tab");
  out.keys.next = await page.evaluate(() => ({
    sentence: document.activeElement.matches(".read-along .s"),
    text: (document.activeElement.textContent || "").trim().slice(0, 60),
  }));
  await pause(page);
  // Back 15 s and forward 30 s, with the buttons; then the k shortcut on the play button.
  await seeked(page, () => page.evaluate(() => { document.getElementById("player").currentTime = 60; }));
  out.back = await seeked(page, () => page.locator("button.back").click());
  out.forward = await seeked(page, () => page.locator("button.forward").click());
  await page.locator("button.play").focus();
  await page.keyboard.press("k");
  await page.waitForTimeout(300);
  out.shortcut = { ...(await page.evaluate(readState)), label: await page.locator("button.play").textContent() };
  await pause(page);
  // Speed and position survive a reload; the reload plays nothing by itself.
  await page.locator("select.speed").selectOption("1.5");
  await seeked(page, () => page.evaluate(() => { document.getElementById("player").currentTime = 20; }));
  await page.evaluate(() => document.getElementById("player").play());
  await page.waitForTimeout(300);
  await pause(page);
  out.left = await page.evaluate(readState);
  await page.reload({ waitUntil: "load" });
  await page.waitForTimeout(1000);
  const resume = page.locator("button.resume");
  out.reloaded = {
    ...(await page.evaluate(readState)),
    speed: await page.locator("select.speed").inputValue(),
    resumeVisible: await resume.isVisible(),
    resumeText: (await resume.textContent()).trim(),
    cookies: await page.evaluate(() => document.cookie),
  };
  out.resumed = await seeked(page, () => resume.click());
  await pause(page);
  return out;
}

// A reader who prefers reduced motion: "Follow along" starts off, and playing a sentence far
// down the page does not scroll to it.
async function reducedMotion(browser, path) {
  const context = await browser.newContext({ reducedMotion: "reduce",
    viewport: { width: 1280, height: 900 } });
  await context.addInitScript(() => {
    window.__seeked = [];
    document.addEventListener("seeked", (e) => { window.__seeked.push(e.target.currentTime); }, true);
  });
  const page = await context.newPage();
  try {
    await page.goto(new URL(path, base).href, { waitUntil: "load" });
    const last = await page.evaluate(() => {
      const spans = document.querySelectorAll(".read-along .s");
      return Number(spans[spans.length - 3].dataset.start);
    });
    await seeked(page, () => page.evaluate((t) => {
      const p = document.getElementById("player");
      p.currentTime = t + 0.2;
      p.play();
    }, last));
    await page.waitForTimeout(600);
    const out = { follow: await page.locator("input.follow").isChecked(),
      ...(await page.evaluate(readState)) };
    await pause(page);
    return out;
  } catch (error) {
    return { error: String((error && error.stack) || error) };
  } finally {
    await context.close();
  }
}

// The page with JavaScript off: still the audio, the chapters and the transcript.
async function noScript(browser, path) {
  const context = await browser.newContext({ javaScriptEnabled: false,
    viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  try {
    await page.goto(new URL(path, base).href, { waitUntil: "load" });
    const out = await page.evaluate(() => ({
      audio: !!document.querySelector("audio[controls][src]"),
      chapterLinks: Array.from(document.querySelectorAll(".chapters a")).map((a) => a.getAttribute("href")),
      transcript: document.querySelectorAll(".read-along .s").length,
      transcriptVisible: !!document.querySelector(".read-along") &&
        document.querySelector(".read-along").getBoundingClientRect().height > 0,
      hiddenControls: Array.from(document.querySelectorAll("div.controls, p.resume, p.now, details.shortcuts, .transcript-help"))
        .every((e) => getComputedStyle(e).display === "none"),
    }));
    const box = await page.locator("#player").boundingBox();
    await page.mouse.click(box.x + 20, box.y + box.height / 2); // the native play button
    // (waitForFunction needs the page's scripts: poll from here instead)
    for (let waited = 0; waited < WAIT; waited += 100) {
      if (await page.evaluate(() => document.getElementById("player").currentTime > 0.3)) break;
      await page.waitForTimeout(100);
    }
    out.played = await page.evaluate(() => ({ paused: document.getElementById("player").paused,
      currentTime: document.getElementById("player").currentTime }));
    await shoot(page, `${path.replace(/\W+/g, "-").replace(/-+$/, "")}-no-script`);
    return out;
  } catch (error) {
    return { error: String((error && error.stack) || error) };
  } finally {
    await context.close();
  }
}

// The index's search: type words, read what is announced and listed.
async function search(page) {
  const out = {};
  const box = page.locator("#search");
  out.visible = await box.isVisible();
  for (const [name, query] of [["one", "harbourton COUNCIL"], ["accents", "hárbourton"],
    ["none", "zzzqqq"]]) {
    await page.evaluate(() => { document.getElementById("search-status").textContent = ""; });
    await box.fill(query);
    await page.waitForFunction(() => document.getElementById("search-status").textContent !== "",
      null, { timeout: WAIT });
    out[name] = await page.evaluate(() => ({
      status: document.getElementById("search-status").textContent,
      results: Array.from(document.querySelectorAll("#search-results a")).map((a) => a.getAttribute("href")),
      listHidden: document.querySelector("ol.episodes[aria-labelledby]").hidden,
    }));
    if (name === "one") out.axe = await axe(page);
  }
  await box.fill("");
  await page.waitForTimeout(400);
  out.cleared = await page.evaluate(() => ({
    listHidden: document.querySelector("ol.episodes[aria-labelledby]").hidden,
    results: document.querySelectorAll("#search-results li").length,
  }));
  return out;
}

// FRAME_HOST (env): a page on another origin that frames an embed (iframe name "embed")
// and an episode page (name "page"). The first must load and play, the second be refused.
async function framing(browser, host) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const out = { frames: {} };
  try {
    await page.goto(host, { waitUntil: "load" });
    await page.waitForTimeout(1000);
    for (const name of ["embed", "page"]) {
      const frame = page.frame({ name });
      out.frames[name] = frame ? {
        url: frame.url(),
        player: await frame.evaluate(() => !!document.getElementById("player")).catch(() => false),
        title: await frame.evaluate(() => document.title).catch(() => null),
      } : null;
    }
    const embed = page.frame({ name: "embed" });
    if (embed && out.frames.embed.player) {
      await embed.locator("button.play").click();
      for (let waited = 0; waited < WAIT; waited += 100) {
        if (await embed.evaluate(() => document.getElementById("player").currentTime > 0.3)) break;
        await page.waitForTimeout(100);
      }
      out.frames.embed.played = await embed.evaluate(() => ({
        paused: document.getElementById("player").paused,
        currentTime: document.getElementById("player").currentTime,
      }));
    }
    await shoot(page, "framed");
  } catch (error) {
    out.error = String((error && error.stack) || error);
  } finally {
    await context.close();
  }
  return out;
}

async function check(context, path) {
  const page = await context.newPage();
  const report = { url: new URL(path, base).href, console: [], pageErrors: [], csp: [],
    failed: [] };
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") report.console.push(`${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => report.pageErrors.push(String(e.message || e)));
  page.on("requestfailed", (r) => {
    // A media element drops its range request when it seeks: that is not a failure.
    if (r.resourceType() === "media" && /ERR_ABORTED/.test(r.failure().errorText)) return;
    report.failed.push(`${r.url()}: ${r.failure().errorText}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) report.failed.push(`${r.url()}: HTTP ${r.status()}`);
  });
  try {
    const response = await page.goto(report.url, { waitUntil: "load" });
    report.status = response.status();
    report.title = await page.title();
    await page.waitForTimeout(path.endsWith("/") ? 1000 : 0);
    report.onLoad = await page.evaluate(() => {
      const p = document.getElementById("player");
      return p ? { paused: p.paused, currentTime: p.currentTime } : null;
    });
    report.lang = await page.evaluate(() => document.documentElement.lang);
    report.axe = await axe(page);
    await page.emulateMedia({ colorScheme: "dark" }); // the palette for a dark preference
    report.axeDark = await axe(page);
    await page.emulateMedia({ colorScheme: "light" });
    report.tabOrder = await tabOrder(page, 40);
    if (await page.locator("#player").count()) {
      report.playback = await playback(page);
      report.axePlaying = await axe(page); // with the chapter and sentence marked
      await page.emulateMedia({ colorScheme: "dark" });
      report.axePlayingDark = await axe(page);
      await page.emulateMedia({ colorScheme: "light" });
    }
    if (await page.locator("#search").count()) {
      report.search = await search(page);
    }
    if (await page.locator(".read-along").count()) {
      report.readAlong = await readAlong(page, path);
    } else {
      await page.evaluate(() => scrollTo(0, 0));
      await shoot(page, path.replace(/\W+/g, "-") || "index");
    }
    report.reflow = await reflow(page);
    report.csp = await page.evaluate(() => window.__csp);
  } catch (error) {
    report.error = String((error && error.stack) || error);
  } finally {
    await page.close();
  }
  return report;
}

(async () => {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--no-first-run", "--disable-sync",
      "--autoplay-policy=no-user-gesture-required"],
  });
  const offsite = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // Record CSP violations as the page sees them (init scripts are not subject to the CSP).
    await context.addInitScript(() => {
      window.__csp = [];
      window.__seeked = []; // the player's currentTime at each seeked event
      document.addEventListener("seeked", (e) => { window.__seeked.push(e.target.currentTime); }, true);
      document.addEventListener("securitypolicyviolation", (e) => {
        window.__csp.push(`${e.violatedDirective}: ${e.blockedURI}`);
      });
    });
    await context.route(AXE_URL, (route) => route.fulfill({
      body: fs.readFileSync(require.resolve("axe-core/axe.min.js")),
      contentType: "text/javascript; charset=utf-8",
    }));
    // Nothing may leave the site: record and refuse any request to another origin.
    await context.route((url) => url.origin !== origin, (route) => {
      offsite.push(route.request().url());
      return route.abort();
    });
    const pages = {};
    for (const path of paths) pages[path] = await check(context, path);
    for (const path of paths) {
      if (path.endsWith("/")) pages[path].noScript = await noScript(browser, path);
      if (path.endsWith("/")) pages[path].reducedMotion = await reducedMotion(browser, path);
    }
    const framed = process.env.FRAME_HOST ? await framing(browser, process.env.FRAME_HOST) : null;
    const ok = Object.values(pages).every((p) => !p.error);
    console.log(JSON.stringify({ ok, offsite, pages, framing: framed }));
    process.exitCode = ok ? 0 : 1;
  } finally {
    await browser.close();
  }
})().catch((error) => {
  console.error(String((error && error.stack) || error));
  process.exit(2);
});
