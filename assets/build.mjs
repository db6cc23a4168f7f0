// `make css`: static/css/app.min.css, the one stylesheet base.html links.
//  1. Sass compiles app.scss: the Bootstrap partials the templates use.
//  2. PurgeCSS drops the rules whose classes no template, crispy-forms template, Python
//     module or script names.
//  3. static/css/site.css follows, whole and untouched by Sass's @extend (Bootstrap's
//     `.h2 { @extend h2 }` would otherwise rewrite site.css's `main h2` rules), and Sass
//     minifies the two. Its first line records the sources' digests, so a test can
//     tell when site.css changed and the stylesheet was not rebuilt.
// Run from assets/, with CONTENT_DIRS naming the installed crispy-forms packages (the
// Makefile finds them in the virtualenv).
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { PurgeCSS } from "purgecss";
import * as sass from "sass";

const ROOT = "..";
const OUTPUT = `${ROOT}/static/css/app.min.css`;
const APPS = ["accounts", "common", "config", "intake", "meetups", "notifications", "reviews"];
const extra = (process.env.CONTENT_DIRS || "").split(":").filter(Boolean);
if (!extra.length) {
  console.error("CONTENT_DIRS is empty: name crispy-forms' installed packages (see Makefile).");
  process.exit(1);
}

const compiled = sass.compile("app.scss", {
  loadPaths: ["node_modules"],
  style: "expanded",
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin"],
});

const [purged] = await new PurgeCSS().purge({
  css: [{ raw: compiled.css }],
  content: [
    `${ROOT}/templates/**/*.html`,
    ...APPS.map((app) => `${ROOT}/${app}/**/*.py`),
    `${ROOT}/static/js/**/*.js`,
    ...extra.map((dir) => `${dir}/**/*.{html,py}`),
  ],
  // Custom properties no rule reads (Bootstrap's :root declares many) go too, but not those
  // site.css reads.
  variables: true,
  safelist: { variables: [...readFileSync(`${ROOT}/static/css/site.css`, "utf8").matchAll(/var\((--bs-[\w-]+)/g)].map((m) => m[1]) },
});

const site = readFileSync(`${ROOT}/static/css/site.css`, "utf8");
const minified = sass.compileString(`${purged.css}\n${site}`, {
  syntax: "css",
  style: "compressed",
}).css;
const digest = (path) =>
  createHash("sha256").update(readFileSync(path)).digest("hex").slice(0, 16);
const header =
  `/*! Built by make css from assets/app.scss (${digest("app.scss")}) and ` +
  `static/css/site.css (${digest(`${ROOT}/static/css/site.css`)}); Bootstrap v5.3.9, ` +
  `MIT licence, static/vendor/bootstrap.LICENSE */\n`;
writeFileSync(OUTPUT, header + minified.replace(/^\uFEFF/, "").replace(/^@charset "UTF-8";/, "") + "\n");
console.log(`${OUTPUT}: ${(header.length + minified.length).toLocaleString()} bytes`);
