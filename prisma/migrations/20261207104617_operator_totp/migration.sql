-- Two-factor sign-in (TOTP, RFC 6238) for operators: required for staff operators in production
-- (docs/security.md, "Operator logins"). Same columns as member (20261207051000_member_totp).
ALTER TABLE operator_user ADD COLUMN totp_secret TEXT;
ALTER TABLE operator_user ADD COLUMN totp_enabled_at TIMESTAMPTZ(3);
ALTER TABLE operator_user ADD COLUMN totp_last_step BIGINT;
