// The product pages of the real frontend (@openimis/fe-product) in headless Chromium: log in as
// Admin; create a product (an insurance plan) for the demo's "Region 1" with a lump sum, one
// covered medical item and one covered medical service with a limit; duplicate it under a new
// code; rename the copy; reload the list and find both. Each product is read again from the
// server after a reload of its page: its header, its lump sum, its item and its service (with
// the limit), the copy holding the original's.
//
// Steps, screenshots and failures as harness.mjs describes. Run by `cargo xtask e2e` (which
// starts the server); env: E2E_BASE_URL, E2E_ARTIFACTS, CHROMIUM_PATH.

import {
  RUN,
  amount,
  checkAndReload,
  dialog,
  expectShown,
  fab,
  field,
  fillValidated,
  finish,
  gotoAdminPage,
  loginAsAdmin,
  noDialog,
  open,
  openRow,
  page,
  pickSelect,
  row,
  saveForm,
  searchUntilListed,
  settle,
  step,
  TIMEOUT,
} from "./harness.mjs";

// Product codes are at most eight characters (tblProduct.ProductCode); both share `P${RUN}`,
// which the list's code filter (icontains) finds them by.
const PRODUCT = {
  code: `P${RUN}A`,
  name: `E2E Product ${RUN}`,
  region: "R1 Region 1",
  maxMembers: "5",
  lumpSum: "10000",
};
// fe-core's NumberInput groups thousands.
const LUMP_SUM_SHOWN = /^10,?000(\.0+)?$/;
const COPY = { code: `P${RUN}B`, name: `E2E Product ${RUN} copy`, renamed: `E2E Renamed ${RUN}` };
// Demo items and services (plugins/medical/src/demo.rs), as their pickers list them.
const ITEM = { code: "0182", option: "0182 PARACETAMOL TABS 500 MG" };
// The service's limit: its adult co-insurance in the clinic ("Adult O", 50 %).
const SERVICE = { code: "A1", option: "A1 General Consultation", limitColumn: "limitAdult", limit: "50" };

const LIST_URL = /\/front\/admin\/products\/?(\?.*)?$/;
const DETAILS_URL = /\/front\/admin\/products\/[0-9a-f-]{36}$/;

// ---------------------------------------------------------------------------------------------
// The product form: a header (code, name, region, validity...) and tabs, the contribution plan
// first. The items and services tabs hold a material-ui data grid (@mui/x-data-grid), one row
// per covered item or service, edited row by row.

async function openTab(name) {
  await page.getByRole("tab", { name, exact: true }).click();
  await settle();
}

/** The data grid's row holding `code`. */
function gridRow(code) {
  return page.locator('[role="row"]', { hasText: code }).first();
}

/** The cell `column` (a field name) of the grid row holding `code`. The grid renders only the
 * columns in view: it is scrolled right until the cell is there. */
async function gridCell(code, column) {
  const cell = gridRow(code).locator(`[role="cell"][data-field="${column}"]`);
  const scroller = page.locator(".MuiDataGrid-window").first();
  for (let left = 0; left < 4_000; left += 300) {
    if (await cell.count()) {
      await cell.scrollIntoViewIfNeeded();
      return cell;
    }
    await scroller.evaluate((element, x) => (element.scrollLeft = x), left);
    await page.waitForTimeout(100);
  }
  throw new Error(`the grid's row ${code} has no cell ${column}`);
}

async function scrollGridHome() {
  await page.locator(".MuiDataGrid-window").first().evaluate((element) => (element.scrollLeft = 0));
  await page.waitForTimeout(100);
}

/** Adds a covered item or service through the tab's dialog: the picker finds it by code. */
async function addCovered(tab, buttonLabel, pickerLabel, wanted) {
  await openTab(tab);
  await page.getByRole("button", { name: buttonLabel, exact: true }).click();
  const picker = field(dialog(), pickerLabel);
  await picker.click();
  await picker.fill(wanted.code);
  await page.getByRole("option", { name: wanted.option, exact: false }).first().click({ timeout: TIMEOUT });
  await dialog().getByRole("button", { name: /^Add 1 / }).click();
  await noDialog();
  await gridRow(wanted.code).waitFor();
}

/** Waits until the grid row holding `code` shows `expected` (a RegExp) in its cell `column`. */
async function expectCell(code, column, expected) {
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    const text = ((await (await gridCell(code, column)).textContent()) ?? "").trim();
    if (expected.test(text)) return;
    if (Date.now() > deadline) throw new Error(`${code}'s ${column} shows "${text}", expected ${expected}`);
    await page.waitForTimeout(200);
  }
}

/** What a saved product shows: its header, lump sum, covered item and limited service. */
async function checkProduct(code, name) {
  await expectShown(page, "Code", code);
  await expectShown(page, "Name", name);
  await expectShown(page, "Region", PRODUCT.region);
  await expectShown(page, "Max members", PRODUCT.maxMembers);
  await openTab("Contribution Plan");
  await expectShown(page, "Lump Sum", LUMP_SUM_SHOWN);
  await openTab("Medical Items");
  await gridRow(ITEM.code).waitFor();
  await openTab("Medical Services");
  await expectCell(SERVICE.code, SERVICE.limitColumn, amount(SERVICE.limit));
  await scrollGridHome();
}

// ---------------------------------------------------------------------------------------------

await open("product");
await loginAsAdmin();

await step("products-page", ["admin-home"], async () => {
  await gotoAdminPage("Products", LIST_URL);
  await page.getByText(/\d+ Products/).first().waitFor();
});

await step("create-product", ["products-page"], async () => {
  await fab().first().click();
  await page.waitForURL(/\/front\/admin\/products\/new/);
  await settle();
  await fillValidated("Code", PRODUCT.code, "validateProductCode");
  await field(page, "Name").fill(PRODUCT.name);
  await pickSelect(page, "Region", PRODUCT.region);
  await field(page, "Max members").fill(PRODUCT.maxMembers);
  // material-ui's date picker dialog opens on today: valid from today...
  await field(page, "Date From").click();
  await dialog().getByRole("button", { name: "OK" }).click();
  await noDialog();
  // ... to the same day next year (the toolbar's year opens the year list).
  await field(page, "Date To").click();
  await dialog().locator(".MuiPickersToolbar-toolbar button").first().click();
  await dialog().locator(".MuiPickersYear-root", { hasText: String(new Date().getFullYear() + 1) }).click();
  await dialog().getByRole("button", { name: "OK" }).click();
  await noDialog();
  await field(page, "Lump Sum").fill(PRODUCT.lumpSum);
  await addCovered("Medical Items", "Add items", "Item", ITEM);
  await addCovered("Medical Services", "Add services", "Service", SERVICE);
  // The row's edit button opens its cells; a changed cell reaches the form at once.
  await gridRow(SERVICE.code).getByRole("button", { name: "edit" }).click();
  const limit = (await gridCell(SERVICE.code, SERVICE.limitColumn)).locator("input");
  await limit.fill(SERVICE.limit);
  await scrollGridHome();
  await gridRow(SERVICE.code).getByRole("button", { name: "save" }).click();
  await expectCell(SERVICE.code, SERVICE.limitColumn, amount(SERVICE.limit));
  await scrollGridHome();
  // The grid keeps its focused cell, and a saved form is locked, which drops the grid's actions
  // column: a focus left on the row's save button would make the grid's next document click
  // ask for that column's cell and throw. The focus goes to the row's code.
  await (await gridCell(SERVICE.code, "code")).click();
  await saveForm("createProduct");
});

await step("product-saved", ["create-product"], async () => {
  await gotoAdminPage("Products", LIST_URL);
  await searchUntilListed("Code", PRODUCT.code);
  await openRow(PRODUCT.code, DETAILS_URL);
  await checkAndReload(() => checkProduct(PRODUCT.code, PRODUCT.name));
});

await step("duplicate-product", ["product-saved"], async () => {
  await gotoAdminPage("Products", LIST_URL);
  await searchUntilListed("Code", PRODUCT.code);
  // The row's Duplicate button opens the copy's form in a new tab: this page follows it there.
  const opened = page.context().waitForEvent("page");
  await row(PRODUCT.code).getByRole("button", { name: "Duplicate" }).click();
  const tab = await opened;
  await tab.waitForURL(/\/front\/admin\/products\/duplicate\/[0-9a-f-]{36}$/);
  const url = tab.url();
  await tab.close();
  await page.goto(url);
  await settle();
  // The copy starts as the original without a code.
  await expectShown(page, "Code", "");
  await expectShown(page, "Name", PRODUCT.name);
  await fillValidated("Code", COPY.code, "validateProductCode");
  await field(page, "Name").fill(COPY.name);
  await saveForm("duplicateProduct");
});

await step("duplicate-saved", ["duplicate-product"], async () => {
  await gotoAdminPage("Products", LIST_URL);
  await searchUntilListed("Code", COPY.code);
  await openRow(COPY.code, DETAILS_URL);
  await checkAndReload(() => checkProduct(COPY.code, COPY.name));
});

await step("rename-copy", ["duplicate-saved"], async () => {
  await field(page, "Name").fill(COPY.renamed);
  await saveForm("updateProduct");
});

await step("copy-renamed", ["rename-copy"], async () => {
  await checkAndReload(() => checkProduct(COPY.code, COPY.renamed));
});

await step("both-listed", ["copy-renamed"], async () => {
  await gotoAdminPage("Products", LIST_URL);
  // The list's first answer must land before the reload, or the reload aborts its request.
  await page.getByText(/\d+ Products/).first().waitFor();
  await settle();
  await page.reload();
  await settle();
  const prefix = `P${RUN}`;
  await searchUntilListed("Code", prefix);
  await row(PRODUCT.code).waitFor();
  await row(COPY.code).waitFor();
  const rows = (await page.locator("tbody tr", { hasText: prefix }).allTextContents()).map((t) => t.trim());
  if (rows.length !== 2) throw new Error(`the list shows ${rows.length} products ${prefix}: ${rows.join(" / ")}`);
  const [original, copy] = [PRODUCT.code, COPY.code].map((code) => rows.find((text) => text.includes(code)));
  if (!original.includes(PRODUCT.name) || original.includes(COPY.renamed)) {
    throw new Error(`${PRODUCT.code} is listed as "${original}", expected the name ${PRODUCT.name}`);
  }
  if (!copy.includes(COPY.renamed)) throw new Error(`${COPY.code} is listed as "${copy}", expected ${COPY.renamed}`);
  if (!original.includes("Region 1") || !copy.includes("Region 1")) {
    throw new Error(`both products should cover Region 1: ${rows.join(" / ")}`);
  }
});

await finish();
