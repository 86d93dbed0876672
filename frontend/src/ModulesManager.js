// What the modules ask of the assembly: their contributions (routes, menus, reducers,
// translations, published components), their configuration and the field-visibility controls.
import { memoize } from "lodash";
import { ensureArray } from "@openimis/fe-core";
import { loadModules, packages } from "./modules";
import shell from "../package.json";

const MAIN_MENU_SUFFIX = ".MainMenu";
const MENU_COMPONENTS_KEY = "core.MainMenu";

export default class ModulesManager {
  constructor(config) {
    this.config = config;
    this.modules = loadModules(config);
    this.controls = controlsByField(config);
    this.refs = Object.fromEntries(this.getContribs("refs").map((ref) => [ref.key, ref.ref]));
    this.reports = Object.fromEntries(this.getContribs("reports").map((report) => [report.key, report]));
  }

  getContribs = memoize((key) => this.modules.flatMap((module) => ensureArray(module[key])));

  // Every entry modules place in a main menu ("admin.MainMenu", ...), used to find the active menu.
  getMenuEntries = memoize(() =>
    this.modules.flatMap((module) =>
      Object.keys(module)
        .filter((key) => key.endsWith(MAIN_MENU_SUFFIX) && key !== MENU_COMPONENTS_KEY)
        .flatMap((key) => ensureArray(module[key])),
    ),
  );

  getConf(module, key, defaultValue = null) {
    const value = (this.config[module] || {})[key];
    return value !== undefined ? value : defaultValue;
  }

  hideField(module, key) {
    return this.controls[`fe-${module}.${key}`] & 1;
  }

  getRef(key) {
    return this.refs[key];
  }

  getReport(key) {
    return this.reports[key];
  }

  getProjection(key) {
    const projection = this.getRef(key);
    return projection ? `{${projection.join(", ")}}` : "";
  }

  getOpenIMISVersion() {
    return shell.version;
  }

  getModulesVersions() {
    return packages.map((name) => `${name}@${shell.dependencies[name] ?? "?"}`);
  }
}

function controlsByField(config) {
  const controls = {};
  for (const [module, moduleConfig] of Object.entries(config)) {
    for (const control of moduleConfig.controls || []) {
      controls[`${module}.${control.field}`] = control.usage;
    }
  }
  return controls;
}
