//! The entity layer on SQLite: shelves and their books (versioned), read and written.

use super::*;
use crate::db::{self, Bind, DbConnection};
use crate::payload::SelectionField;
use crate::sql_filter::Where;
use serde_json::{json, Value};

pub static SHELF: EntitySpec = EntitySpec {
    type_name: "ShelfType",
    table: "t_Shelf",
    alias: "s",
    key: "ShelfId",
    uuid: Some("ShelfUUID"),
    history: None,
    fields: &[
        text("code", "Code").filters(TEXT | IN).write(),
        one("parent", "ParentId", Target::Local(&SHELF)),
        many("books", &BOOK, "ShelfId"),
        many_paged("bookPage", &BOOK, "ShelfId"),
    ],
};

pub static BOOK: EntitySpec = EntitySpec {
    type_name: "BookType",
    table: "t_Book",
    alias: "b",
    key: "BookId",
    uuid: Some("BookUUID"),
    history: Some(HISTORY),
    fields: &[
        text("title", "Title").filters(TEXT | ISNULL).write(),
        int("pages", "Pages").filters(EXACT | RANGE | IN).write(),
        decimal("price", "Price", 2).write(),
        date("published", "Published")
            .filters(EXACT | RANGE)
            .write(),
        boolean("lent", "Lent").write(),
        json("jsonExt", "JsonExt").write(),
        one("shelf", "ShelfId", Target::Local(&SHELF)).write(),
        one("owner", "OwnerId", Target::Stub("UserType")),
    ],
};

const SCHEMA: &str = r#"
CREATE TABLE "t_Shelf" ("ShelfId" INTEGER PRIMARY KEY AUTOINCREMENT, "ShelfUUID" TEXT NOT NULL,
  "Code" TEXT NOT NULL, "ParentId" INTEGER NULL);
CREATE TABLE "t_Book" ("BookId" INTEGER PRIMARY KEY AUTOINCREMENT, "BookUUID" TEXT NOT NULL,
  "Title" TEXT NULL, "Pages" INTEGER NULL, "Price" DECIMAL(18,2) NULL, "Published" DATE NULL,
  "Lent" BOOLEAN NOT NULL DEFAULT 0, "JsonExt" TEXT NULL, "ShelfId" INTEGER NULL, "OwnerId" INTEGER NULL,
  "ValidityFrom" DATETIME NOT NULL, "ValidityTo" DATETIME NULL, "LegacyID" INTEGER NULL, "AuditUserID" INTEGER NOT NULL);
INSERT INTO "t_Shelf" VALUES (1, 's1', 'A_1', NULL), (2, 's2', 'B%2', 1), (3, 's3', 'AX1', 2);
INSERT INTO "t_Book" VALUES
  (1, 'b1', 'Dune', 412, 12.5, '1965-08-01', 0, '{"a":1}', 1, 7, '2024-01-02 03:04:05.25', NULL, NULL, 1),
  (2, 'b2', 'Emma', 300, 7, '1815-12-23', 1, NULL, 1, NULL, '2024-01-02 03:04:05', NULL, NULL, 1),
  (3, 'b3', 'Ulysses', 730, NULL, NULL, 0, NULL, 2, NULL, '2024-01-02 03:04:05', NULL, NULL, 1),
  (4, 'b4', 'Old Dune', 400, NULL, NULL, 0, NULL, 1, NULL, '2020-01-01 00:00:00', '2024-01-02 03:04:05', 1, 1);
"#;

pub fn database() -> DbConnection {
    use diesel::connection::SimpleConnection;
    use diesel::Connection;
    let mut conn = DbConnection::Sqlite(diesel::SqliteConnection::establish(":memory:").unwrap());
    conn.batch_execute(SCHEMA).unwrap();
    conn
}

fn sel(names: &[&str]) -> Vec<SelectionField> {
    names.iter().map(|n| SelectionField::new(n)).collect()
}

fn nodes(inner: Vec<SelectionField>) -> SelectionField {
    SelectionField::new("edges")
        .with_selection(vec![SelectionField::new("node").with_selection(inner)])
}

fn list_field(args: Value, inner: Vec<SelectionField>) -> SelectionField {
    let mut f = SelectionField::new("books")
        .with_selection(vec![SelectionField::new("totalCount"), nodes(inner)]);
    f.args = args.as_object().unwrap().clone();
    f
}

fn titles(conn: &mut DbConnection, args: Value) -> Result<Vec<String>, crate::ModuleError> {
    let f = list_field(args, sel(&["title"]));
    let out = connection(conn, &BOOK, &f, Where::new(), &Access::open())?;
    Ok(out["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["title"].as_str().unwrap_or("-").to_owned())
        .collect())
}

#[test]
fn rows_answer_every_kind_as_location_does() {
    let mut conn = database();
    let f = list_field(
        json!({"first": 1}),
        sel(&[
            "id",
            "uuid",
            "title",
            "pages",
            "price",
            "published",
            "lent",
            "jsonExt",
            "validityFrom",
            "validityTo",
            "legacyId",
            "auditUserId",
        ]),
    );
    let out = connection(&mut conn, &BOOK, &f, Where::new(), &Access::open()).unwrap();
    assert_eq!(out["totalCount"], 3, "history rows are not listed");
    assert_eq!(
        out["edges"][0]["node"],
        json!({"id": crate::relay::global_id("BookType", 1), "uuid": "b1", "title": "Dune",
               "pages": 412, "price": "12.50", "published": "1965-08-01", "lent": false,
               "jsonExt": "{\"a\":1}", "validityFrom": "2024-01-02T03:04:05.250000",
               "validityTo": null, "legacyId": null, "auditUserId": 1})
    );
}

#[test]
fn filters_parse_escape_and_follow_relations() {
    let mut conn = database();
    let t = |c: &mut DbConnection, a: Value| titles(c, a).unwrap();
    assert_eq!(t(&mut conn, json!({"title_Icontains": "UN"})), ["Dune"]);
    assert_eq!(t(&mut conn, json!({"title_Istartswith": "e"})), ["Emma"]);
    assert_eq!(
        t(&mut conn, json!({"pages_Gte": "400"})),
        ["Dune", "Ulysses"]
    );
    assert_eq!(
        t(&mut conn, json!({"pages_In": [300, "730"]})),
        ["Emma", "Ulysses"]
    );
    // One value for a list is a list of one (GraphQL's input coercion).
    assert_eq!(t(&mut conn, json!({"pages_In": 300})), ["Emma"]);
    assert_eq!(
        t(&mut conn, json!({"published_Lt": "1900-01-01"})),
        ["Emma"]
    );
    assert_eq!(t(&mut conn, json!({"shelf_Code": "B%2"})), ["Ulysses"]);
    assert_eq!(
        t(&mut conn, json!({"shelf_Parent_Uuid": "s1"})),
        ["Ulysses"]
    );
    assert_eq!(
        t(&mut conn, json!({"shelf_Code_Icontains": "_"})),
        ["Dune", "Emma"]
    );
    assert_eq!(
        t(&mut conn, json!({"shelf_Code_Icontains": "%"})),
        ["Ulysses"]
    );
    assert_eq!(
        t(
            &mut conn,
            json!({"id": crate::relay::global_id("BookType", 2)})
        ),
        ["Emma"]
    );
    assert_eq!(t(&mut conn, json!({"uuid_In": []})), Vec::<String>::new());
    assert_eq!(t(&mut conn, json!({"showHistory": true})).len(), 4);
    assert_eq!(t(&mut conn, json!({"unknownArgument": 1})).len(), 3);
    for (args, message) in [
        (json!({"pages": "1x"}), "`pages` must be an integer"),
        (
            json!({"pages_Gt": "1 OR 1=1"}),
            "`pages_Gt` must be an integer",
        ),
        (json!({"pages": 1.5}), "`pages` must be an integer"),
        (
            json!({"title": "a\u{0}"}),
            "`title` must not contain a NUL character",
        ),
        (json!({"shelf_Id": "x"}), "`shelf_Id` must be an integer"),
        (
            json!({"title_Isnull": "yes"}),
            "`title_Isnull` must be true or false",
        ),
    ] {
        let err = titles(&mut conn, args).unwrap_err();
        assert_eq!(
            (err.code.as_str(), err.message.as_str()),
            ("BAD_ARGUMENT", message)
        );
    }
}

#[test]
fn order_by_names_relations_and_breaks_ties_by_key() {
    let mut conn = database();
    let t = |c: &mut DbConnection, o: Value| titles(c, json!({"orderBy": o})).unwrap();
    assert_eq!(t(&mut conn, json!(["-pages"])), ["Ulysses", "Dune", "Emma"]);
    assert_eq!(
        t(&mut conn, json!(["-shelf__code", "title"])),
        ["Ulysses", "Dune", "Emma"]
    );
    assert_eq!(
        t(&mut conn, json!(["-shelf__parent__code"])),
        ["Ulysses", "Dune", "Emma"]
    );
    assert_eq!(t(&mut conn, json!(["lent"])), ["Dune", "Ulysses", "Emma"]);
    let err = titles(&mut conn, json!({"orderBy": ["nope"]})).unwrap_err();
    assert_eq!(
        err.message.as_str(),
        "Cannot resolve keyword 'nope' into field."
    );
}

#[test]
fn pages_are_cut_in_sql() {
    let mut conn = database();
    assert_eq!(
        titles(&mut conn, json!({"first": 1, "offset": 1})).unwrap(),
        ["Emma"]
    );
    let mut f = list_field(json!({"last": 1}), sel(&["title"]));
    f.selection.push(
        SelectionField::new("pageInfo").with_selection(sel(&["hasPreviousPage", "hasNextPage"])),
    );
    let out = connection(&mut conn, &BOOK, &f, Where::new(), &Access::open()).unwrap();
    assert_eq!(out["edges"][0]["node"]["title"], "Ulysses");
    assert_eq!(
        out["pageInfo"],
        json!({"hasPreviousPage": true, "hasNextPage": false})
    );
}

#[test]
fn the_count_rides_on_the_page() {
    let mut conn = database();
    let count = |conn: &mut DbConnection, args: Value| {
        let f = list_field(args, sel(&["title"]));
        let out = connection(conn, &BOOK, &f, Where::new(), &Access::open()).unwrap();
        (
            out["totalCount"].clone(),
            out["edges"].as_array().unwrap().len(),
        )
    };
    assert_eq!(count(&mut conn, json!({"first": 2})), (json!(3), 2));
    assert_eq!(
        count(&mut conn, json!({"first": 2, "offset": 2})),
        (json!(3), 1)
    );
    // Past the end no row carries the count: it is asked on its own.
    assert_eq!(
        count(&mut conn, json!({"first": 2, "offset": 7})),
        (json!(3), 0)
    );
    // Nothing matches at all.
    let none = json!({"first": 2, "title_Icontains": "zzz"});
    assert_eq!(count(&mut conn, none), (json!(0), 0));
}

#[test]
fn relations_one_many_and_stubs() {
    let mut conn = database();
    let shelf = SelectionField::new("shelf").with_selection(vec![
        SelectionField::new("code"),
        SelectionField::new("parent").with_selection(sel(&["code"])),
    ]);
    let owner = SelectionField::new("owner").with_selection(sel(&["__key"]));
    let f = list_field(json!({}), vec![SelectionField::new("title"), shelf, owner]);
    let out = connection(&mut conn, &BOOK, &f, Where::new(), &Access::open()).unwrap();
    assert_eq!(
        out["edges"][2]["node"],
        json!({"title": "Ulysses", "shelf": {"code": "B%2", "parent": {"code": "A_1"}}, "owner": null})
    );
    assert_eq!(out["edges"][0]["node"]["owner"], json!({"__key": 7}));

    let mut books = SelectionField::new("books").with_selection(sel(&["title"]));
    books.args.insert("orderBy".into(), json!(["-title"]));
    let mut page = SelectionField::new("bookPage").with_selection(vec![
        SelectionField::new("totalCount"),
        nodes(sel(&["title"])),
    ]);
    page.args.insert("first".into(), json!(1));
    page.args.insert("offset".into(), json!(1));
    let mut a = page.clone();
    a.alias = "a".into();
    a.args.insert("offset".into(), json!(0));
    let shelves = by_keys(
        &mut conn,
        &SHELF,
        &[json!(2), json!("1"), json!(9)],
        &[SelectionField::new("code"), books, page, a],
        &Access::open(),
    )
    .unwrap();
    assert_eq!(shelves[2], Value::Null);
    assert_eq!(
        shelves[1],
        json!({"code": "A_1", "books": [{"title": "Emma"}, {"title": "Dune"}],
               "bookPage": {"totalCount": 2, "edges": [{"node": {"title": "Emma"}}]},
               "a": {"totalCount": 2, "edges": [{"node": {"title": "Dune"}}]}})
    );
    assert_eq!(shelves[0]["books"], json!([{"title": "Ulysses"}]));
    assert_eq!(shelves[0]["bookPage"]["edges"], json!([]));
}

#[test]
fn the_access_hook_runs_on_every_path() {
    let mut conn = database();
    let only_shelf_one = |spec: &EntitySpec, _: Reach, w: &mut Where| {
        if spec.type_name == "ShelfType" {
            w.and(r#"s."ShelfId" = ?"#, [Bind::BigInt(Some(1))]);
        }
        Ok(())
    };
    let counted =
        |_: &mut DbConnection, spec: &EntitySpec, rows: &mut [Value], _: &[SelectionField]| {
            for row in rows.iter_mut() {
                row["extra"] = json!(format!("{}:{}", spec.type_name, row["pk"]));
            }
            Ok(())
        };
    let access = Access::rows(&only_shelf_one).extend(&counted);
    let shelf = SelectionField::new("shelf").with_selection(sel(&["code", "extra"]));
    let f = list_field(json!({}), vec![SelectionField::new("extra"), shelf]);
    let out = connection(&mut conn, &BOOK, &f, Where::new(), &access).unwrap();
    assert_eq!(
        out["edges"][0]["node"],
        json!({"extra": "BookType:1", "shelf": {"code": "A_1", "extra": "ShelfType:1"}})
    );
    assert_eq!(out["edges"][2]["node"]["shelf"], Value::Null);
    let keys = by_keys(
        &mut conn,
        &SHELF,
        &[json!(1), json!(2)],
        &sel(&["code"]),
        &access,
    )
    .unwrap();
    assert_eq!(keys, [json!({"code": "A_1"}), Value::Null]);
}

#[test]
fn the_access_hook_is_told_how_each_load_got_there() {
    let mut conn = database();
    let seen = std::cell::RefCell::new(Vec::new());
    let record = |spec: &EntitySpec, reach: Reach, _: &mut Where| {
        seen.borrow_mut().push((spec.type_name, reach));
        Ok(())
    };
    let access = Access::rows(&record);
    let books = SelectionField::new("books").with_selection(sel(&["title"]));
    let shelf = SelectionField::new("shelf").with_selection(vec![books]);
    let f = list_field(json!({"first": 1}), vec![shelf]);
    connection(&mut conn, &BOOK, &f, Where::new(), &access).unwrap();
    by_keys(&mut conn, &SHELF, &[json!(1)], &sel(&["code"]), &access).unwrap();
    assert_eq!(
        *seen.borrow(),
        [
            ("BookType", Reach::List),
            ("ShelfType", Reach::Hop),
            ("BookType", Reach::Children),
            ("ShelfType", Reach::Keys),
        ]
    );
}

#[test]
fn like_patterns_escape_their_wildcards() {
    assert_eq!(escape_like(r"a_b%c\d"), r"a\_b\%c\\d");
    let _ = db::backend;
}

#[derive(Debug, serde::Deserialize, serde::Serialize)]
struct BookInput {
    title: Option<String>,
    pages: Option<i64>,
    #[serde(rename = "shelfId")]
    shelf_id: Option<i64>,
}

#[test]
fn typed_input_is_checked() {
    let ok: BookInput = input(json!({"title": "X", "shelfId": 2}).as_object().unwrap()).unwrap();
    assert_eq!((ok.title.as_deref(), ok.shelf_id), (Some("X"), Some(2)));
    let err = input::<BookInput>(json!({"pages": "many"}).as_object().unwrap()).unwrap_err();
    assert_eq!(err.message, "invalid input");
    assert!(err.detail.unwrap().contains("invalid type"));
}

#[test]
fn insert_update_delete_keep_history() {
    let mut conn = database();
    let values = serde_json::to_value(BookInput {
        title: Some("Kim".into()),
        pages: Some(5),
        shelf_id: Some(2),
    })
    .unwrap();
    let pk = insert(&mut conn, &BOOK, &values, 9).unwrap();
    assert_eq!(pk, 5);
    let sel_all = sel(&["title", "pages", "uuid", "auditUserId", "validityTo"]);
    let row = &by_keys(&mut conn, &BOOK, &[json!(pk)], &sel_all, &Access::open()).unwrap()[0];
    assert_eq!(
        (
            row["title"].clone(),
            row["pages"].clone(),
            row["auditUserId"].clone()
        ),
        (json!("Kim"), json!(5), json!(9))
    );
    let uuid = row["uuid"].as_str().unwrap().to_owned();
    assert_eq!(uuid.len(), 36);
    assert_eq!(pk_by_uuid(&mut conn, &BOOK, &uuid).unwrap(), Some(pk));

    update(
        &mut conn,
        &BOOK,
        pk,
        &json!({"title": "Kim (2nd)", "price": "3.5"}),
        10,
    )
    .unwrap();
    let mut f = list_field(
        json!({"showHistory": true, "orderBy": ["id"]}),
        sel(&[
            "title",
            "pages",
            "price",
            "legacyId",
            "validityTo",
            "auditUserId",
            "uuid",
        ]),
    );
    f.args.insert("shelf_Id".into(), json!(2));
    let out = connection(&mut conn, &BOOK, &f, Where::new(), &Access::open()).unwrap();
    let edges = out["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 3, "{out}");
    assert_eq!(edges[1]["node"]["title"], "Kim (2nd)");
    assert_eq!(edges[1]["node"]["price"], "3.50");
    assert_eq!(edges[1]["node"]["auditUserId"], 10);
    assert_eq!(
        edges[1]["node"]["uuid"],
        uuid.as_str(),
        "the row keeps its uuid"
    );
    let copy = &edges[2]["node"];
    assert_eq!(
        (
            copy["title"].clone(),
            copy["legacyId"].clone(),
            copy["auditUserId"].clone()
        ),
        (json!("Kim"), json!(pk), json!(9))
    );
    assert!(copy["validityTo"].is_string());
    assert_ne!(copy["uuid"], uuid.as_str());

    let err = update(&mut conn, &BOOK, pk, &json!({"pages": "x"}), 1).unwrap_err();
    assert_eq!(err.message.as_str(), "`pages` must be an integer");
    delete(&mut conn, &BOOK, pk).unwrap();
    assert_eq!(pk_by_uuid(&mut conn, &BOOK, &uuid).unwrap(), None);
    assert_eq!(
        delete(&mut conn, &BOOK, pk).unwrap_err().code.as_str(),
        "NOT_FOUND"
    );
    assert_eq!(
        update(&mut conn, &BOOK, pk, &json!({}), 1)
            .unwrap_err()
            .code
            .as_str(),
        "NOT_FOUND"
    );

    let shelf = insert(&mut conn, &SHELF, &json!({"code": "N"}), 1).unwrap();
    delete(&mut conn, &SHELF, shelf).unwrap();
    assert_eq!(
        db::count(&mut conn, r#"SELECT COUNT(*) AS n FROM "t_Shelf""#, &[]).unwrap(),
        3
    );
}

/// A versioned entity may declare the columns a history copy sets itself (a `validityTo`
/// filter, its uuid): the copy names each column once, so PostgreSQL takes it too.
#[test]
fn a_history_copy_names_each_column_once() {
    static DATED: EntitySpec = EntitySpec {
        type_name: "DatedType",
        table: "t_Book",
        alias: "b",
        key: "BookId",
        uuid: Some("BookUUID"),
        history: Some(HISTORY),
        fields: &[
            text("title", "Title").write(),
            text("uuid", "BookUUID"),
            datetime("validityTo", "ValidityTo").filters(RANGE | ISNULL),
            int("legacyId", "LegacyID"),
            datetime("validityFrom", "ValidityFrom"),
        ],
    };
    assert_eq!(
        super::write::history_columns(&DATED, HISTORY),
        ["Title", "ValidityFrom", "AuditUserID"]
    );
}

/// A self-reference nested three deep (`parent { parent { parent } }`) is read in one statement
/// with the keys it starts from (access restricting keys and hops alike), with the same answer
/// as hop by hop; an ancestor the access hides on hops ends the chain there.
#[test]
fn a_chain_of_parents_is_one_statement() {
    let mut conn = database();
    let chain = SelectionField::new("parent").with_selection(vec![
        SelectionField::new("code"),
        SelectionField::new("parent").with_selection(vec![
            SelectionField::new("code"),
            SelectionField::new("parent").with_selection(sel(&["code"])),
        ]),
    ]);
    let selection = [SelectionField::new("code"), chain];
    let statements = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = statements.clone();
    diesel::Connection::set_instrumentation(
        &mut conn,
        move |event: diesel::connection::InstrumentationEvent<'_>| {
            if let diesel::connection::InstrumentationEvent::StartQuery { .. } = event {
                counted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        },
    );
    let every_row = |_: &EntitySpec, _: Reach, _: &mut Where| Ok(());
    let shelves = by_keys(
        &mut conn,
        &SHELF,
        &[json!(3), json!(2)],
        &selection,
        &Access::rows(&every_row),
    )
    .unwrap();
    assert_eq!(
        shelves[0],
        json!({"code": "AX1", "parent": {"code": "B%2", "parent": {"code": "A_1", "parent": null}}})
    );
    assert_eq!(
        shelves[1],
        json!({"code": "B%2", "parent": {"code": "A_1", "parent": null}})
    );
    let statements = statements.load(std::sync::atomic::Ordering::Relaxed);
    assert_eq!(
        statements, 1,
        "the keys and every level above them in one statement"
    );

    // Shelf 1 hidden on hops: shelf 3's chain stops at shelf 2.
    let hiding = |spec: &EntitySpec, reach: Reach, w: &mut Where| {
        if reach == Reach::Hop {
            w.and(&format!("{} <> 1", spec.col("ShelfId")), []);
        }
        Ok(())
    };
    let shelves = by_keys(
        &mut conn,
        &SHELF,
        &[json!(3)],
        &selection,
        &Access::rows(&hiding),
    )
    .unwrap();
    assert_eq!(
        shelves[0],
        json!({"code": "AX1", "parent": {"code": "B%2", "parent": null}})
    );
}
