-- Operator accounts are never locked (docs/security.md "Operator logins": a network is throttled, the
-- account is not), so nothing ever set or read locked_until: the column goes.
ALTER TABLE "operator_user" DROP COLUMN "locked_until";
