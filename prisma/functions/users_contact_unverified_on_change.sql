-- users_contact_unverified_on_change(): a changed email or phone is not verified any more.
--
-- Invariant: users.email_verified_at is set only while the email is the one that was verified, and
-- phone_verified_at likewise for the phone. An UPDATE that changes the email (or the phone) clears
-- its verification, whoever makes it: changeEmail, updateProfile, an erasure, an operator's SQL.
CREATE OR REPLACE FUNCTION users_contact_unverified_on_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.email IS DISTINCT FROM OLD.email THEN
    NEW.email_verified_at := NULL;
  END IF;
  IF NEW.phone IS DISTINCT FROM OLD.phone THEN
    NEW.phone_verified_at := NULL;
  END IF;
  RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER users_contact_unverified_on_change BEFORE UPDATE OF email, phone ON users
  FOR EACH ROW EXECUTE FUNCTION users_contact_unverified_on_change();
