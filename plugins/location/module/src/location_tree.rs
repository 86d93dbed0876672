//! The tree changes behind `deleteLocation` and `moveLocation` (location.md §5): a delete
//! ends the subtree (or re-parents the children), a move saves history and re-types the
//! subtree when the new parent is not one level up.

use crate::specs::LOCATION;
use crate::Conn;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::sql_filter::{id_list, Where};
use openimis_sdk::{entity, time, ModuleError};
use serde_json::Value;

/// The level codes, top-down (`location_types`).
const LOCATION_TYPES: [&str; 4] = ["R", "D", "W", "V"];

/// What a tree change reads of a location.
#[derive(Clone)]
pub struct Node {
    pub id: i64,
    parent: Option<i64>,
    pub type_code: String,
    pub code: Option<String>,
}

fn nodes(conn: &mut Conn, w: &Where) -> Result<Vec<Node>, ModuleError> {
    let rows = entity::find(conn, &LOCATION, w, "")?;
    Ok(rows
        .iter()
        .map(|r: &Value| Node {
            id: r["pk"].as_i64().unwrap_or_default(),
            parent: r["parentPk"].as_i64(),
            type_code: r["type"].as_str().unwrap_or_default().to_owned(),
            code: r["code"].as_str().map(str::to_owned),
        })
        .collect())
}

/// The valid location with `uuid`, or the original's not-found error.
pub fn by_uuid(conn: &mut Conn, uuid: &str) -> Result<Node, ModuleError> {
    let mut w = Where::new();
    w.and(
        r#"l."LocationUUID" = ? AND l."ValidityTo" IS NULL"#,
        [Bind::text(uuid)],
    );
    nodes(conn, &w)?
        .into_iter()
        .next()
        .ok_or_else(|| ModuleError::new("NOT_FOUND", "Location matching query does not exist."))
}

/// Ends `ids` and, recursively, all their children (valid or not), at `now`.
fn end_tree(conn: &mut Conn, ids: Vec<i64>, now: &str) -> Result<(), ModuleError> {
    let mut level = ids;
    while !level.is_empty() {
        let list = id_list(&level);
        let sql = format!(
            r#"SELECT "LocationId" AS id FROM "tblLocations" WHERE "ParentLocationId" IN ({list}) AND "LocationId" NOT IN ({list})"#
        );
        let children = entity::ids(conn, &sql, &[])?;
        if !children.is_empty() {
            let stamp = db::timestamp_param(conn);
            let sql = format!(
                r#"UPDATE "tblLocations" SET "ValidityTo" = {stamp} WHERE "LocationId" IN ({})"#,
                id_list(&children)
            );
            db::execute(conn, &sql, &[Bind::text(now)])?;
        }
        level = children;
    }
    Ok(())
}

/// Ends the location `uuid` and its subtree, or moves its children under `new_parent`.
pub fn delete(conn: &mut Conn, uuid: &str, new_parent: Option<&str>) -> Result<(), ModuleError> {
    let location = by_uuid(conn, uuid)?;
    let now = time::now();
    match new_parent {
        Some(np) => {
            let parent = by_uuid(conn, np)?;
            db::execute(
                conn,
                r#"UPDATE "tblLocations" SET "ParentLocationId" = ? WHERE "ParentLocationId" = ? AND "ValidityTo" IS NULL"#,
                &[
                    Bind::BigInt(Some(parent.id)),
                    Bind::BigInt(Some(location.id)),
                ],
            )?;
        }
        None => end_tree(conn, vec![location.id], &now)?,
    }
    entity::delete(conn, &LOCATION, location.id)?;
    if location.type_code == "D" {
        let stamp = db::timestamp_param(conn);
        db::execute(
            conn,
            &format!(
                r#"UPDATE "tblUsersDistricts" SET "ValidityTo" = {stamp} WHERE "LocationId" = ? AND "ValidityTo" IS NULL"#
            ),
            &[Bind::text(&now), Bind::BigInt(Some(location.id))],
        )?;
    }
    Ok(())
}

fn retype(conn: &mut Conn, id: i64, kind: &str, parent: Option<i64>) -> Result<(), ModuleError> {
    db::execute(
        conn,
        r#"UPDATE "tblLocations" SET "LocationType" = ?, "ParentLocationId" = ? WHERE "LocationId" = ?"#,
        &[Bind::text(kind), Bind::BigInt(parent), Bind::BigInt(Some(id))],
    )
    .map(drop)
}

/// `tree_reset_types`: `location` (under `parent`) takes level `level`; below the last level
/// it is attached to its grandparent. Each child is saved to history first.
fn reset(
    conn: &mut Conn,
    parent: Option<&Node>,
    location: &Node,
    level: usize,
) -> Result<(), ModuleError> {
    if level >= LOCATION_TYPES.len() {
        let grandparent = parent.and_then(|p| p.parent);
        return retype(conn, location.id, LOCATION_TYPES[3], grandparent);
    }
    retype(
        conn,
        location.id,
        LOCATION_TYPES[level],
        parent.map(|p| p.id),
    )?;
    let moved = Node {
        parent: parent.map(|p| p.id),
        ..location.clone()
    };
    let mut w = Where::new();
    w.and(
        r#"l."ParentLocationId" = ? AND l."ValidityTo" IS NULL"#,
        [Bind::BigInt(Some(location.id))],
    );
    for child in nodes(conn, &w)? {
        entity::copy_to_history(conn, &LOCATION, child.id)?;
        reset(conn, Some(&moved), &child, level + 1)?;
    }
    Ok(())
}

fn level_of(node: &Node) -> i64 {
    LOCATION_TYPES
        .iter()
        .position(|t| *t == node.type_code)
        .unwrap_or(0) as i64
}

/// Moves the location `uuid` under `new_parent` (or to the top).
pub fn relocate(conn: &mut Conn, uuid: &str, new_parent: Option<&str>) -> Result<(), ModuleError> {
    let location = by_uuid(conn, uuid)?;
    entity::copy_to_history(conn, &LOCATION, location.id)?;
    let parent = new_parent.map(|np| by_uuid(conn, np)).transpose()?;
    let (level, parent_level) = (level_of(&location), parent.as_ref().map_or(-1, level_of));
    if parent_level < level - 1 || parent_level >= level {
        reset(
            conn,
            parent.as_ref(),
            &location,
            (parent_level + 1) as usize,
        )
    } else {
        retype(conn, location.id, &location.type_code, parent.map(|p| p.id))
    }
}
