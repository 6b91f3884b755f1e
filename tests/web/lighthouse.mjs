// Lighthouse's accessibility audit over many pages in one Chromium: reads
// {"urls": [...], "cookie": "...", "formFactor": "mobile"|"desktop"} on stdin and prints, for
// each page, its score and the audits that failed. LIGHTHOUSE_DIR is where npm installed it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const modules = join(process.env.LIGHTHOUSE_DIR, "node_modules");
const { default: lighthouse } = await import(pathToFileURL(join(modules, "lighthouse/core/index.js")));
const chromeLauncher = await import(pathToFileURL(join(modules, "chrome-launcher/dist/index.js")));

const { urls, cookie, formFactor } = JSON.parse(readFileSync(0, "utf8"));
const chrome = await chromeLauncher.launch({
  chromePath: "/usr/bin/chromium",
  chromeFlags: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run"],
});
const mobile = formFactor === "mobile";
const flags = {
  port: chrome.port,
  onlyCategories: ["accessibility"],
  output: "json",
  logLevel: process.env.LH_LOG || "error",
  extraHeaders: { Cookie: cookie },
  disableFullPageScreenshot: true,
  skipAboutBlank: true,
  // Local pages settle at once: no need to wait for quiet after each load (the network is
  // simulated, which no accessibility audit reads; "provided" would force 5 s windows).
  pauseAfterFcpMs: 0,
  pauseAfterLoadMs: 0,
  networkQuietThresholdMs: 0,
  cpuQuietThresholdMs: 0,
  formFactor,
  screenEmulation: mobile
    ? { mobile: true, width: 360, height: 780, deviceScaleFactor: 2, disabled: false }
    : { mobile: false, width: 1280, height: 900, deviceScaleFactor: 1, disabled: false },
};
const results = [];
try {
  for (const url of urls) {
    const started = Date.now();
    const { lhr } = await lighthouse(url, flags);
    process.stderr.write(`${url} ${Date.now() - started} ms\n`);
    const failed = Object.values(lhr.audits)
      .filter((audit) => audit.score !== null && audit.score < 1 && audit.scoreDisplayMode === "binary")
      .map((audit) => ({ id: audit.id, title: audit.title, items: (audit.details?.items || []).slice(0, 3).map((i) => i.node?.snippet) }));
    results.push({ url, score: Math.round(lhr.categories.accessibility.score * 100), failed });
  }
} finally {
  await chrome.kill();
}
process.stdout.write(JSON.stringify(results));
