//! The ids of a `core_User`'s sub-users (interactive user, officer, claim admin), read under
//! the aliases `i_user_id`, `officer_id` and `claim_admin_id`; embed with `#[diesel(embed)]`.

#[derive(diesel::QueryableByName, Debug, Clone, Copy)]
pub struct SubUserIds {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    pub i_user_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    pub officer_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    pub claim_admin_id: Option<i64>,
}
