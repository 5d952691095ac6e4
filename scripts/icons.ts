/**
 * Renders the app icons from app/icon.svg (the one drawing): apple-icon.png
 * (180 px), the manifest's 192 and 512 px PNGs in public/, and favicon.ico
 * (a 32 px PNG inside an ICO container, which every browser reads).
 * Run after changing the SVG: `npx tsx scripts/icons.ts`.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { chromium } from "@playwright/test";

const svg = readFileSync("app/icon.svg", "utf8");

async function render(size: number, padding = 0): Promise<Buffer> {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  const inner = size - padding * 2;
  await page.setContent(
    `<html><body style="margin:0;background:${padding ? "#0369a1" : "transparent"}"><div style="padding:${padding}px;line-height:0">${svg.replace("<svg ", `<svg width="${inner}" height="${inner}" `)}</div></body></html>`,
  );
  const png = await page.screenshot({ omitBackground: padding === 0, clip: { x: 0, y: 0, width: size, height: size } });
  await browser.close();
  return png;
}

/** An ICO file holding one PNG image (allowed since Windows Vista; all browsers accept it). */
function ico(png: Buffer, size: number): Buffer {
  const header = Buffer.alloc(22);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(1, 4); // one image
  header.writeUInt8(size, 6);
  header.writeUInt8(size, 7);
  header.writeUInt8(0, 8); // no palette
  header.writeUInt8(0, 9);
  header.writeUInt16LE(1, 10); // colour planes
  header.writeUInt16LE(32, 12); // bits per pixel
  header.writeUInt32LE(png.length, 14);
  header.writeUInt32LE(22, 18); // offset of the image data
  return Buffer.concat([header, png]);
}

writeFileSync("app/apple-icon.png", await render(180, 18));
writeFileSync("public/icon-192.png", await render(192, 16));
writeFileSync("public/icon-512.png", await render(512, 48));
writeFileSync("app/favicon.ico", ico(await render(32), 32));
console.log("icons written");
