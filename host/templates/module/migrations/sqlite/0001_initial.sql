-- The module's items: a versioned table as the original's `VersionedModel` keeps them (an
-- update copies the row to history with `LegacyID` = its id, a delete sets `ValidityTo`), read
-- and written by `sdk::entity` through the `ITEM` spec of `src/items.rs`.
CREATE TABLE "{{name}}_Item" (
    "ItemId" INTEGER PRIMARY KEY AUTOINCREMENT,
    "ItemUUID" VARCHAR(36) NOT NULL UNIQUE,
    "Code" VARCHAR(8) NOT NULL,
    "Name" VARCHAR(100),
    "ValidityFrom" TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ValidityTo" TIMESTAMP NULL,
    "LegacyID" INTEGER NULL,
    "AuditUserID" INTEGER NOT NULL DEFAULT 0
);
-- A code is unique among the current rows; history copies keep theirs.
CREATE UNIQUE INDEX "{{name}}_Item_current_code" ON "{{name}}_Item" ("Code") WHERE "ValidityTo" IS NULL;
