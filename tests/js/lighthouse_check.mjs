// Lighthouse (accessibility and best practices) on pages of a newsvoice site, in Debian's
// Chromium (CHROMIUM, env) launched headless by chrome-launcher.
//
//   node lighthouse_check.mjs URL...
//
// Prints one JSON object: {URL: {accessibility, bestPractices, failing: [{id, title}]}},
// scores from 0 to 1; failing lists the audits of the two categories that did not pass.
import { execFileSync } from "node:child_process";
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";

const urls = process.argv.slice(2);
if (!urls.length) {
  console.error("usage: node lighthouse_check.mjs URL...");
  process.exit(2);
}
const chromePath = process.env.CHROMIUM ||
  execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"]).toString().trim();
const chrome = await chromeLauncher.launch({
  chromePath,
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  logLevel: "silent",
});
const report = {};
try {
  for (const url of urls) {
    const result = await lighthouse(url, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: ["accessibility", "best-practices"],
      formFactor: "desktop",
      screenEmulation: { mobile: false, width: 1280, height: 900, deviceScaleFactor: 1, disabled: false },
      throttlingMethod: "provided",
    });
    const lhr = result.lhr;
    const failing = [];
    for (const category of ["accessibility", "best-practices"]) {
      for (const ref of lhr.categories[category].auditRefs) {
        const audit = lhr.audits[ref.id];
        if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
          const items = ((audit.details && audit.details.items) || []).slice(0, 5)
            .map((item) => item.description || item.url || item.source || JSON.stringify(item).slice(0, 160));
          failing.push({ id: ref.id, title: audit.title, score: audit.score, items });
        }
      }
    }
    report[url] = {
      accessibility: lhr.categories.accessibility.score,
      bestPractices: lhr.categories["best-practices"].score,
      failing,
      runtimeError: lhr.runtimeError ? lhr.runtimeError.message : null,
    };
  }
} finally {
  await chrome.kill();
}
console.log(JSON.stringify(report));
