// The policy pages of the real frontend (@openimis/fe-policy) in headless Chromium: log in as
// Admin; open the demo family of John Doe (070707070, family 21: plugins/insuree/src/demo.rs) and
// add a policy with the product FCUL0001 and the enrolment officer E00001: the form shows the
// start date, expiry date and value the server computed (`policyValues`), compared with its
// answer; save; see the new policy idle in the family's policies, with those dates and value;
// suspend the family's active BASIC policy (`90000000-…-041`, plugins/policy/src/demo.rs);
// reload and see it suspended and the new one still idle, from the server.
//
// The new policy itself is not suspended: fe-policy offers "suspend" only for an active policy
// (`canSuspendPolicy`: status 2), and a policy becomes active when contributions pay it (the
// contribution module's scenario). The active policy the family already has is suspended
// instead, the same mutation (`suspendPolicies`) from the same page.
//
// Steps, screenshots and failures as harness.mjs describes. Run by `cargo xtask e2e` (which
// starts the server); env: E2E_BASE_URL, E2E_ARTIFACTS, CHROMIUM_PATH.

import {
  answerTo,
  BASE,
  dialog,
  expectShown,
  field,
  finish,
  loginAsAdmin,
  noDialog,
  open,
  page,
  reloadReading,
  saveForm,
  settle,
  shownAmount,
  shownDate,
  step,
  TIMEOUT,
  todayIso,
} from "./harness.mjs";

const FAMILY = "f0000000-0000-4000-8000-000000000021";
const OVERVIEW_URL = new RegExp(`/front/insuree/families/familyOverview/${FAMILY}$`);
const NEW_POLICY_URL = new RegExp(`/front/policy/policy/_NEW_/${FAMILY}$`);
const PRODUCT = "FCUL0001 Fixed Cycle Cover Ultha";
const OFFICER = "E00001 Officer Olivia";
const ACTIVE_POLICY = "90000000-0000-4000-8000-000000000041";

/** The family page's policies table row of the policy with product `code` in `status`. */
function policyRow(code, status) {
  return page.locator("tbody tr", { hasText: code }).filter({ hasText: status }).first();
}

/** Waits until the policies table shows the row of `code` in `status` holding every text of
 * `texts`. */
async function expectPolicyRow(code, status, texts = []) {
  const row = policyRow(code, status);
  await row.waitFor({ timeout: TIMEOUT });
  const text = await row.textContent();
  const missing = texts.filter((t) => !text.includes(t));
  if (missing.length) throw new Error(`the ${code} ${status} row shows "${text}", without ${missing.join(", ")}`);
}

/** The policies of the family as `policiesByFamily` answered them. */
function familyPolicies(answer) {
  return answer.data.policiesByFamily.edges.map((edge) => edge.node);
}

await open("policy");
await loginAsAdmin();

await step("family-page", ["admin-home"], async () => {
  await page.goto(`${BASE}/front/insuree/families/familyOverview/${FAMILY}`);
  await page.waitForURL(OVERVIEW_URL);
  await settle();
  await expectPolicyRow("BASIC", "Active");
});

let computed = null;
await step("new-policy", ["family-page"], async () => {
  await page.getByRole("button", { name: /add policy/i }).click();
  await page.waitForURL(NEW_POLICY_URL);
  await settle();
  await expectShown(page, "Enrolment Date", shownDate(todayIso()));
  const values = answerTo("policyValues");
  await field(page, "Product").click();
  await page.getByRole("option", { name: PRODUCT, exact: true }).click();
  const answer = await (await values).json();
  if (answer.errors?.length) throw new Error(`policyValues: ${answer.errors[0].message}`);
  computed = answer.data.policyValues.policy;
  await settle();
  await field(page, "Officer").click();
  await page.getByRole("option", { name: OFFICER, exact: true }).click();
  await settle();
  // What the server computed, as the form shows it.
  await expectShown(page, "Start Date", shownDate(computed.startDate));
  await expectShown(page, "Expiry Date", shownDate(computed.expiryDate));
  await expectShown(page, "Value", shownAmount(computed.value));
  await expectShown(page, "Status", "Entered");
});

await step("policy-saved", ["new-policy"], async () => {
  await saveForm("createPolicy");
  // fe-policy confirms the save with the expiry date the server registered.
  await dialog().getByText(`registered with this expiry date: ${computed.expiryDate}`).waitFor();
  await dialog().getByRole("button", { name: /close/i }).click();
  await noDialog();
  // The saved form stays open, read-only; its back button leads to the family.
  await page.getByText(/^Policy Doe John/).locator("xpath=preceding::button[1]").click();
  await page.waitForURL(OVERVIEW_URL);
  await settle();
  const answer = (await reloadReading(["policiesByFamily"]))[0];
  const saved = familyPolicies(answer).filter((p) => p.productCode === "FCUL0001" && p.status === 1);
  if (saved.length !== 1) throw new Error(`the server lists ${saved.length} idle FCUL0001 policies of the family`);
  const [policy] = saved;
  const expected = { enrollDate: todayIso(), startDate: computed.startDate, expiryDate: computed.expiryDate };
  for (const [key, value] of Object.entries(expected)) {
    if (!String(policy[key]).startsWith(value)) throw new Error(`the new policy's ${key} is ${policy[key]}, expected ${value}`);
  }
  if (Number(policy.policyValue) !== Number(computed.value)) {
    throw new Error(`the new policy's value is ${policy.policyValue}, expected ${computed.value}`);
  }
  await expectPolicyRow("FCUL0001", "Idle", [shownDate(computed.expiryDate, "YMD"), shownDate(todayIso(), "YMD")]);
});

await step("suspend-active", ["family-page"], async () => {
  await policyRow("BASIC", "Active").getByRole("button", { name: /suspend/i }).click();
  const suspended = answerTo("suspendPolicies");
  await dialog().getByRole("button", { name: /ok|yes|confirm/i }).first().click();
  const answer = await (await suspended).json();
  if (answer.errors?.length) throw new Error(`suspendPolicies: ${answer.errors[0].message}`);
  await settle();
});

await step("suspended-after-reload", ["suspend-active"], async () => {
  const answer = (await reloadReading(["policiesByFamily"]))[0];
  const policies = familyPolicies(answer);
  const active = policies.find((p) => p.policyUuid === ACTIVE_POLICY);
  if (!active || active.status !== 4) {
    throw new Error(`the server answers policy ${ACTIVE_POLICY} with status ${active?.status}, expected 4 (suspended)`);
  }
  await expectPolicyRow("BASIC", "Suspended");
  await expectPolicyRow("FCUL0001", "Idle");
});

await finish();
