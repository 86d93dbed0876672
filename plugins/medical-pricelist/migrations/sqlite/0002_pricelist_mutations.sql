-- The original's links between price lists and core's mutation log (its 0002 migration).
CREATE TABLE IF NOT EXISTS "medical_ServicesPricelistMutation" (
  "id" varchar(36) PRIMARY KEY, "mutation_id" varchar(36) NOT NULL REFERENCES "core_Mutation_Log" ("id"),
  "pricelist_id" int NOT NULL REFERENCES "tblPLServices" ("PLServiceID"));
CREATE TABLE IF NOT EXISTS "medical_ItemsPricelistMutation" (
  "id" varchar(36) PRIMARY KEY, "mutation_id" varchar(36) NOT NULL REFERENCES "core_Mutation_Log" ("id"),
  "pricelist_id" int NOT NULL REFERENCES "tblPLItems" ("PLItemID"));
