-- users_contact_unverified_on_change(): a changed email or phone is not verified any more.
--
-- Invariant: users.email_verified_at is set only while the email is the one that was verified, and
-- phone_verified_at likewise for the phone. An UPDATE that changes the email (or the phone) clears
-- its verification, whoever makes it: changeEmail, updateProfile, an erasure, an operator's SQL.
-- The phone is its keyed hash (phone_hash) or, until sealed, legacy_phone (decision 63): a change of
-- either is a change of the phone, except the sealing of a number kept in the clear into the same
-- number's hash, which the server marks by setting wallet.sealing_phones for its transaction
-- (src/services/accounts/phones.ts, sealLegacyPhones).
CREATE OR REPLACE FUNCTION users_contact_unverified_on_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.email IS DISTINCT FROM OLD.email THEN
    NEW.email_verified_at := NULL;
  END IF;
  IF (NEW.phone_hash IS DISTINCT FROM OLD.phone_hash OR NEW.legacy_phone IS DISTINCT FROM OLD.legacy_phone)
     AND NOT (OLD.phone_hash IS NULL AND OLD.legacy_phone IS NOT NULL AND NEW.legacy_phone IS NULL AND NEW.phone_hash IS NOT NULL
              AND coalesce(current_setting('wallet.sealing_phones', true), '') = 'on') THEN
    NEW.phone_verified_at := NULL;
  END IF;
  RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER users_contact_unverified_on_change BEFORE UPDATE OF email, phone_hash, legacy_phone ON users
  FOR EACH ROW EXECUTE FUNCTION users_contact_unverified_on_change();
