// The frontend modules this server implements, registered as the openIMIS assembly does: each
// package's module factory is called with its configuration (moduleConfigurations, keyed by the
// logical name "fe-<module>").
import { CoreModule } from "@openimis/fe-core";
import { HomeModule } from "@openimis/fe-home";
import { LocationModule } from "@openimis/fe-location";
import { AdminModule } from "@openimis/fe-admin";
import { MedicalModule } from "@openimis/fe-medical";
import { MedicalPriceListModule } from "@openimis/fe-medical_pricelist";
import { ProductModule } from "@openimis/fe-product";
import { InsureeModule } from "@openimis/fe-insuree";
import { PolicyModule } from "@openimis/fe-policy";
import { PayerModule } from "@openimis/fe-payer";
import { ContributionModule } from "@openimis/fe-contribution";
import { ClaimModule } from "@openimis/fe-claim";

const registered = [
  { logicalName: "fe-core", packageName: "@openimis/fe-core", factory: CoreModule },
  { logicalName: "fe-home", packageName: "@openimis/fe-home", factory: HomeModule },
  { logicalName: "fe-location", packageName: "@openimis/fe-location", factory: LocationModule },
  { logicalName: "fe-admin", packageName: "@openimis/fe-admin", factory: AdminModule },
  { logicalName: "fe-medical", packageName: "@openimis/fe-medical", factory: MedicalModule },
  {
    logicalName: "fe-medical_pricelist",
    packageName: "@openimis/fe-medical_pricelist",
    factory: MedicalPriceListModule,
  },
  { logicalName: "fe-product", packageName: "@openimis/fe-product", factory: ProductModule },
  { logicalName: "fe-insuree", packageName: "@openimis/fe-insuree", factory: InsureeModule },
  { logicalName: "fe-policy", packageName: "@openimis/fe-policy", factory: PolicyModule },
  { logicalName: "fe-payer", packageName: "@openimis/fe-payer", factory: PayerModule },
  {
    logicalName: "fe-contribution",
    packageName: "@openimis/fe-contribution",
    factory: ContributionModule,
  },
  { logicalName: "fe-claim", packageName: "@openimis/fe-claim", factory: ClaimModule },
];

export const packages = registered.map((module) => module.packageName);

export function loadModules(config = {}) {
  return registered.map(({ logicalName, factory }) => factory(config[logicalName] || {}));
}
