//! The two legacy sub-users a core user may have, written alike: the enrolment officer
//! (`tblOfficer`) and the claim administrator (`tblClaimAdmin`). Each names its table, key,
//! code, uuid and audit columns, the columns `upsert` sets (and its undo restores), and the
//! columns its history copy keeps.

/// An officer or a claim administrator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legacy {
    Officer,
    ClaimAdmin,
}

impl Legacy {
    /// Both, in the order `upsert` writes them.
    pub const BOTH: [Legacy; 2] = [Legacy::Officer, Legacy::ClaimAdmin];

    /// The `userTypes` value asking for this sub-user.
    pub fn user_type(self) -> &'static str {
        match self {
            Legacy::Officer => "OFFICER",
            Legacy::ClaimAdmin => "CLAIM_ADMIN",
        }
    }

    /// What it is called in an error.
    pub fn noun(self) -> &'static str {
        match self {
            Legacy::Officer => "officer",
            Legacy::ClaimAdmin => "claim administrator",
        }
    }

    pub fn table(self) -> &'static str {
        match self {
            Legacy::Officer => "tblOfficer",
            Legacy::ClaimAdmin => "tblClaimAdmin",
        }
    }

    pub fn pk(self) -> &'static str {
        match self {
            Legacy::Officer => "OfficerID",
            Legacy::ClaimAdmin => "ClaimAdminId",
        }
    }

    /// The column holding the username.
    pub fn code(self) -> &'static str {
        match self {
            Legacy::Officer => "Code",
            Legacy::ClaimAdmin => "ClaimAdminCode",
        }
    }

    pub fn uuid(self) -> &'static str {
        match self {
            Legacy::Officer => "OfficerUUID",
            Legacy::ClaimAdmin => "ClaimAdminUUID",
        }
    }

    pub fn audit(self) -> &'static str {
        match self {
            Legacy::Officer => "AuditUserID",
            Legacy::ClaimAdmin => "AuditUserId",
        }
    }

    /// The columns `upsert` sets, in the order of its binds: the person's five, the birth date,
    /// the kind's own, then the audit user and `HasLogin`.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Legacy::Officer => &[
                "Code",
                "OtherNames",
                "LastName",
                "Phone",
                "EmailId",
                "DOB",
                "permanentaddress",
                "WorksTo",
                "LocationId",
                "OfficerIDSubst",
                "PhoneCommunication",
                "AuditUserID",
                "HasLogin",
            ],
            Legacy::ClaimAdmin => &[
                "ClaimAdminCode",
                "OtherNames",
                "LastName",
                "Phone",
                "EmailId",
                "DOB",
                "HFId",
                "AuditUserId",
                "HasLogin",
            ],
        }
    }

    /// The columns the history copy (`save_history`) keeps besides its uuid and validity.
    pub fn history_columns(self) -> &'static str {
        match self {
            Legacy::Officer => {
                r#""Code", "LastName", "OtherNames", "DOB", "Phone", "LocationId", "OfficerIDSubst", "WorksTo", "VEOCode", "VEOLastName",
                   "VEOOtherNames", "VEODOB", "VEOPhone", "AuditUserID", "EmailId", "PhoneCommunication", "permanentaddress", "HasLogin", "JsonExt""#
            }
            Legacy::ClaimAdmin => {
                r#""ClaimAdminCode", "LastName", "OtherNames", "DOB", "EmailId", "Phone", "HFId", "HasLogin", "AuditUserId""#
            }
        }
    }

    /// The id of the valid row with `code` (one bind).
    pub fn by_code_sql(self) -> String {
        format!(
            r#"SELECT CAST("{pk}" AS BIGINT) AS id FROM "{table}" WHERE "{code}" = ? AND "ValidityTo" IS NULL"#,
            pk = self.pk(),
            table = self.table(),
            code = self.code()
        )
    }
}

/// `"a", "b"`: quoted column names for SQL.
pub fn quoted(columns: &[&str]) -> String {
    columns
        .iter()
        .map(|c| format!(r#""{c}""#))
        .collect::<Vec<_>>()
        .join(", ")
}
