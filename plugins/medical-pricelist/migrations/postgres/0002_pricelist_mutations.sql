-- The original's links between price lists and core's mutation log (its 0002 migration).
CREATE TABLE IF NOT EXISTS "medical_ServicesPricelistMutation" (
  "id" uuid PRIMARY KEY, "mutation_id" uuid NOT NULL REFERENCES "core_Mutation_Log" ("id"),
  "pricelist_id" int NOT NULL REFERENCES "tblPLServices" ("PLServiceID"));
CREATE TABLE IF NOT EXISTS "medical_ItemsPricelistMutation" (
  "id" uuid PRIMARY KEY, "mutation_id" uuid NOT NULL REFERENCES "core_Mutation_Log" ("id"),
  "pricelist_id" int NOT NULL REFERENCES "tblPLItems" ("PLItemID"));
