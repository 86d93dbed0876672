-- product's tables under the original's names (SQLite types; PostgreSQL's file has the original's).
CREATE TABLE IF NOT EXISTS "tblProduct" (
  "ValidityFrom" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP, "ValidityTo" datetime NULL, "LegacyID" integer NULL,
  "ProdID" INTEGER PRIMARY KEY AUTOINCREMENT, "ProdUUID" varchar(36) NOT NULL UNIQUE, "ProductCode" varchar(8) NOT NULL,
  "ProductName" varchar(100) NOT NULL, "DateFrom" datetime NOT NULL, "DateTo" datetime NOT NULL,
  "LumpSum" decimal(18, 2) NOT NULL, "MemberCount" smallint NOT NULL, "PremiumAdult" decimal(18, 2) NULL, "PremiumChild" decimal(18, 2) NULL,
  "DedInsuree" decimal(18, 2) NULL, "DedOPInsuree" decimal(18, 2) NULL, "DedIPInsuree" decimal(18, 2) NULL,
  "MaxInsuree" decimal(18, 2) NULL, "MaxOPInsuree" decimal(18, 2) NULL, "MaxIPInsuree" decimal(18, 2) NULL,
  "PeriodRelPrices" varchar(1) NULL, "PeriodRelPricesOP" varchar(1) NULL, "PeriodRelPricesIP" varchar(1) NULL,
  "AccCodePremiums" varchar(25) NULL, "AccCodeRemuneration" varchar(25) NULL,
  "DedTreatment" decimal(18, 2) NULL, "DedOPTreatment" decimal(18, 2) NULL, "DedIPTreatment" decimal(18, 2) NULL,
  "MaxTreatment" decimal(18, 2) NULL, "MaxOPTreatment" decimal(18, 2) NULL, "MaxIPTreatment" decimal(18, 2) NULL,
  "DedPolicy" decimal(18, 2) NULL, "DedOPPolicy" decimal(18, 2) NULL, "DedIPPolicy" decimal(18, 2) NULL,
  "MaxPolicy" decimal(18, 2) NULL, "MaxOPPolicy" decimal(18, 2) NULL, "MaxIPPolicy" decimal(18, 2) NULL,
  "GracePeriod" integer NOT NULL, "AuditUserID" integer NOT NULL,
  "MaxNoConsultation" integer NULL, "MaxNoSurgery" integer NULL, "MaxNoDelivery" integer NULL,
  "MaxNoHospitalizaion" integer NULL, "MaxNoVisits" integer NULL,
  "MaxAmountConsultation" decimal(18, 2) NULL, "MaxAmountSurgery" decimal(18, 2) NULL, "MaxAmountDelivery" decimal(18, 2) NULL,
  "MaxAmountHospitalization" decimal(18, 2) NULL, "GracePeriodRenewal" integer NULL, "MaxInstallments" integer NULL,
  "WaitingPeriod" integer NULL, "Threshold" integer NULL, "RenewalDiscountPerc" integer NULL,
  "RenewalDiscountPeriod" integer NULL, "MaxPolicyExtraMember" decimal(18, 2) NULL, "MaxPolicyExtraMemberIP" decimal(18, 2) NULL,
  "MaxPolicyExtraMemberOP" decimal(18, 2) NULL, "MaxCeilingPolicy" decimal(18, 2) NULL, "MaxCeilingPolicyIP" decimal(18, 2) NULL,
  "MaxCeilingPolicyOP" decimal(18, 2) NULL, "EnrolmentDiscountPerc" integer NULL, "EnrolmentDiscountPeriod" integer NULL,
  "MaxAmountAntenatal" decimal(18, 2) NULL, "MaxNoAntenatal" integer NULL, "CeilingInterpretation" varchar(1) NULL,
  "LocationId" integer NULL REFERENCES "tblLocations" ("LocationId"), "AdministrationPeriod" integer NULL,
  "ConversionProdID" integer NULL REFERENCES "tblProduct" ("ProdID"),
  "GeneralAssemblyFee" decimal(18, 2) NULL, "GeneralAssemblyLumpSum" decimal(18, 2) NULL, "InsurancePeriod" smallint NOT NULL,
  "Level1" varchar(1) NULL, "Level2" varchar(1) NULL, "Level3" varchar(1) NULL, "Level4" varchar(1) NULL,
  "Sublevel1" varchar(1) NULL, "Sublevel2" varchar(1) NULL, "Sublevel3" varchar(1) NULL, "Sublevel4" varchar(1) NULL,
  "RegistrationFee" decimal(18, 2) NULL, "RegistrationLumpSum" decimal(18, 2) NULL, "RowID" text NULL, "ShareContribution" decimal(5, 2) NULL,
  "StartCycle1" varchar(5) NULL, "StartCycle2" varchar(5) NULL, "StartCycle3" varchar(5) NULL, "StartCycle4" varchar(5) NULL,
  "WeightAdjustedAmount" decimal(5, 2) NULL, "WeightInsuredPopulation" decimal(5, 2) NULL,
  "WeightNumberFamilies" decimal(5, 2) NULL, "WeightNumberInsuredFamilies" decimal(5, 2) NULL,
  "WeightNumberVisits" decimal(5, 2) NULL, "WeightPopulation" decimal(5, 2) NULL, "Recurrence" smallint NULL,
  "CeilingType" varchar(1) NULL, "Max Age" integer NULL, "Min Age" integer NULL);
CREATE TABLE IF NOT EXISTS "tblProductItems" (
  "ValidityFrom" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP, "ValidityTo" datetime NULL, "LegacyID" integer NULL,
  "ProdItemID" INTEGER PRIMARY KEY AUTOINCREMENT, "LimitationType" varchar(1) NULL, "PriceOrigin" varchar(1) NULL,
  "LimitAdult" decimal(18, 2) NULL, "LimitChild" decimal(18, 2) NULL, "WaitingPeriodAdult" integer NULL, "WaitingPeriodChild" integer NULL,
  "LimitNoAdult" integer NULL, "LimitNoChild" integer NULL, "LimitationTypeR" varchar(1) NULL, "LimitationTypeE" varchar(1) NULL,
  "LimitAdultR" decimal(18, 2) NULL, "LimitAdultE" decimal(18, 2) NULL, "LimitChildR" decimal(18, 2) NULL, "LimitChildE" decimal(18, 2) NULL,
  "CeilingExclusionAdult" varchar(1) NULL, "CeilingExclusionChild" varchar(1) NULL, "AuditUserID" integer NOT NULL,
  "ItemID" integer NOT NULL REFERENCES "tblItems" ("ItemID"), "ProdID" integer NOT NULL REFERENCES "tblProduct" ("ProdID"), "RowID" text NULL);
CREATE INDEX IF NOT EXISTS "tblProductItems_product" ON "tblProductItems" ("ProdID");
CREATE TABLE IF NOT EXISTS "tblProductServices" (
  "ValidityFrom" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP, "ValidityTo" datetime NULL, "LegacyID" integer NULL,
  "ProdServiceID" INTEGER PRIMARY KEY AUTOINCREMENT, "LimitationType" varchar(1) NOT NULL, "PriceOrigin" varchar(1) NOT NULL,
  "LimitAdult" decimal(18, 2) NULL, "LimitChild" decimal(18, 2) NULL, "WaitingPeriodAdult" integer NULL, "WaitingPeriodChild" integer NULL,
  "LimitNoAdult" integer NULL, "LimitNoChild" integer NULL, "LimitationTypeR" varchar(1) NULL, "LimitationTypeE" varchar(1) NULL,
  "LimitAdultR" decimal(18, 2) NULL, "LimitAdultE" decimal(18, 2) NULL, "LimitChildR" decimal(18, 2) NULL, "LimitChildE" decimal(18, 2) NULL,
  "CeilingExclusionAdult" varchar(1) NULL, "CeilingExclusionChild" varchar(1) NULL, "AuditUserID" integer NOT NULL,
  "ProdID" integer NOT NULL REFERENCES "tblProduct" ("ProdID"), "ServiceID" integer NOT NULL REFERENCES "tblServices" ("ServiceID"), "RowID" text NULL);
CREATE INDEX IF NOT EXISTS "tblProductServices_product" ON "tblProductServices" ("ProdID");
CREATE TABLE IF NOT EXISTS "tblRelDistr" (
  "DistrID" INTEGER PRIMARY KEY AUTOINCREMENT, "DistrType" smallint NOT NULL, "DistrCareType" varchar(1) NOT NULL, "Period" smallint NOT NULL,
  "DistrPerc" decimal(18, 2) NULL, "ValidityFrom" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP, "ValidityTo" datetime NULL, "LegacyID" integer NULL,
  "AuditUserID" integer NOT NULL, "ProdID" integer NOT NULL REFERENCES "tblProduct" ("ProdID"), "RowID" datetime NULL);
CREATE TABLE IF NOT EXISTS "product_ProductMutation" (
  "id" varchar(36) PRIMARY KEY, "mutation_id" varchar(36) NOT NULL REFERENCES "core_Mutation_Log" ("id"),
  "product_id" integer NOT NULL REFERENCES "tblProduct" ("ProdID"));
