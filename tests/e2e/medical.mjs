// The medical pages of the real frontend (@openimis/fe-medical, @openimis/fe-medical_pricelist,
// and fe-location's health facility form) in headless Chromium: log in as Admin; create a
// medical item (code, name, type, price, care type), then a medical service; create a services
// price list for a region holding the new service at an overridden price; set that price list
// on a health facility of the region. Each record is then found from the server, opened, and
// read again after a reload of its page.
//
// Steps, screenshots and failures as harness.mjs describes. Run by `cargo xtask e2e` (which
// starts the server); env: E2E_BASE_URL, E2E_ARTIFACTS, CHROMIUM_PATH.

import {
  RUN,
  amount,
  answerTo,
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
  saveForm,
  searchUntilListed,
  settle,
  step,
} from "./harness.mjs";

// Item and service codes are at most six characters (fe-medical's ITEM/SERVICE_CODE_MAX_LENGTH).
const ITEM = {
  code: `I${RUN}`,
  name: `E2E Item ${RUN}`,
  type: "Drug",
  price: "125",
  careType: "Out - Patient",
};
const SERVICE = {
  code: `S${RUN}`,
  name: `E2E Service ${RUN}`,
  packageType: "Simple/atomic",
  type: "Curative",
  level: "Simple Service",
  price: "300",
  careType: "Out - Patient",
};
// A price list of the demo's "Region 1", and the demo health centre of its district Rapta.
const PRICELIST = { name: `E2E Services ${RUN}`, region: "R1 Region 1", overrule: "250" };
const FACILITY = { code: "RAHC001", name: "Rapta Health Centre" };

// fe-medical's CareTypePicker asks for the message "medical.careType", which no package
// defines: the frontend shows the bare key, as it does on fe-location's facility form.
const CARE_TYPE_LABEL = "careType";

// ---------------------------------------------------------------------------------------------
// Items and services (fe-medical).

async function checkItem() {
  await expectShown(page, "Code", ITEM.code);
  await expectShown(page, "Name", ITEM.name);
  await expectShown(page, "Item type", ITEM.type);
  await expectShown(page, "Price", amount(ITEM.price));
  await expectShown(page, CARE_TYPE_LABEL, ITEM.careType);
}

async function checkService() {
  await expectShown(page, "Code", SERVICE.code);
  await expectShown(page, "Name", SERVICE.name);
  await expectShown(page, "Type", SERVICE.packageType);
  await expectShown(page, "Service type", SERVICE.type);
  await expectShown(page, "Service Level", SERVICE.level);
  await expectShown(page, "Price", amount(SERVICE.price));
  await expectShown(page, CARE_TYPE_LABEL, SERVICE.careType);
}

// ---------------------------------------------------------------------------------------------
// The services price list (fe-medical_pricelist): a header, and a table of every service with
// a checkbox (in the list) and its overridden price. The header's "Code" field filters the
// table (from the server), so the new service is found among the demo's.

function detailRow() {
  return page.locator("tbody tr", { hasText: SERVICE.code }).first();
}

async function filterDetails() {
  const filtered = answerTo("code_Icontains");
  await field(page, "Code").fill(SERVICE.code);
  await filtered;
  await settle();
  await detailRow().waitFor();
}

async function checkPricelist() {
  await expectShown(page, "Name", PRICELIST.name);
  await expectShown(page, "Region", PRICELIST.region);
  await filterDetails();
  const checkbox = detailRow().locator("input[type=checkbox]");
  if (!(await checkbox.isChecked())) throw new Error(`the price list does not hold ${SERVICE.code}`);
  const cells = (await detailRow().locator("td").allTextContents()).map((text) => text.trim());
  if (!cells.some((text) => amount(PRICELIST.overrule).test(text))) {
    throw new Error(`${SERVICE.code} is listed at [${cells.join(", ")}], expected the price ${PRICELIST.overrule}`);
  }
}

// ---------------------------------------------------------------------------------------------

await open("medical");
await loginAsAdmin();

await step("items-page", ["admin-home"], async () => {
  await gotoAdminPage("Medical Items", /\/front\/medical\/medicalItems\/?(\?.*)?$/);
  await page.getByText(/medical item\(s\) found/).waitFor();
});

await step("create-item", ["items-page"], async () => {
  await fab().first().click();
  await page.waitForURL(/\/front\/medical\/medicalItems\/new/);
  await settle();
  await fillValidated("Code", ITEM.code, "validateItemCode");
  await field(page, "Name").fill(ITEM.name);
  await pickSelect(page, "Item type", ITEM.type);
  await field(page, "Price").fill(ITEM.price);
  await pickSelect(page, CARE_TYPE_LABEL, ITEM.careType);
  await saveForm("createItem");
});

await step("item-saved", ["create-item"], async () => {
  await gotoAdminPage("Medical Items", /\/front\/medical\/medicalItems\/?(\?.*)?$/);
  await searchUntilListed("Code", ITEM.code);
  await openRow(ITEM.code, /\/front\/medical\/medicalItems\/overview\/[0-9a-f-]{36}/);
  await checkAndReload(checkItem);
});

await step("services-page", ["admin-home"], async () => {
  await gotoAdminPage("Medical Services", /\/front\/medical\/medicalServices\/?(\?.*)?$/);
  await page.getByText(/medical service\(s\) found/).waitFor();
});

await step("create-service", ["services-page"], async () => {
  await fab().first().click();
  await page.waitForURL(/\/front\/medical\/medicalServices\/new/);
  await settle();
  await fillValidated("Code", SERVICE.code, "validateServiceCode");
  await field(page, "Name").fill(SERVICE.name);
  // The price is read-only until a simple (atomic) service is chosen.
  await pickSelect(page, "Type", SERVICE.packageType);
  await pickSelect(page, "Service type", SERVICE.type);
  await pickSelect(page, "Service Level", SERVICE.level);
  await field(page, "Price").fill(SERVICE.price);
  await pickSelect(page, CARE_TYPE_LABEL, SERVICE.careType);
  await saveForm("createService");
});

await step("service-saved", ["create-service"], async () => {
  await gotoAdminPage("Medical Services", /\/front\/medical\/medicalServices\/?(\?.*)?$/);
  await searchUntilListed("Code", SERVICE.code);
  await openRow(SERVICE.code, /\/front\/medical\/medicalServices\/overview\/[0-9a-f-]{36}/);
  await checkAndReload(checkService);
});

await step("pricelists-page", ["admin-home"], async () => {
  await gotoAdminPage("Medical Services Price Lists", /\/front\/medical\/pricelists\/services\/?(\?.*)?$/);
  await page.getByText(/Pricelists$/).first().waitFor();
});

await step("create-pricelist", ["pricelists-page", "service-saved"], async () => {
  await fab().first().click();
  await page.waitForURL(/\/front\/medical\/pricelists\/services\/new/);
  await settle();
  await fillValidated("Name", PRICELIST.name, "validateServicesPricelistName");
  await pickSelect(page, "Region", PRICELIST.region);
  // material-ui's date picker dialog opens on today: accept it.
  await field(page, "Date").click();
  await dialog().getByRole("button", { name: "OK" }).click();
  await noDialog();
  await filterDetails();
  await detailRow().locator("input[type=checkbox]").check();
  await detailRow().getByRole("button", { name: "Edit" }).click();
  await field(dialog(), "Price").fill(PRICELIST.overrule);
  await dialog().getByRole("button", { name: "Save" }).click();
  await noDialog();
  await saveForm("createServicesPricelist");
});

await step("pricelist-saved", ["create-pricelist"], async () => {
  await gotoAdminPage("Medical Services Price Lists", /\/front\/medical\/pricelists\/services\/?(\?.*)?$/);
  await searchUntilListed("Name", PRICELIST.name);
  await openRow(PRICELIST.name, /\/front\/medical\/pricelists\/services\/[^/]+$/);
  await checkAndReload(checkPricelist);
});

await step("facility-pricelist", ["pricelist-saved"], async () => {
  await gotoAdminPage("Health Facilities", /\/front\/location\/healthFacilities\/?(\?.*)?$/);
  await searchUntilListed("Code", FACILITY.code);
  await openRow(FACILITY.code, /\/front\/location\/healthFacility\/[0-9a-f-]{36}/);
  await expectShown(page, "Code", FACILITY.code);
  await pickSelect(page, "Services Pricelist", PRICELIST.name);
  await saveForm("updateHealthFacility");
});

await step("facility-saved", ["facility-pricelist"], async () => {
  await checkAndReload(async () => {
    await expectShown(page, "Code", FACILITY.code);
    await expectShown(page, "Services Pricelist", PRICELIST.name);
  });
});

await finish();
