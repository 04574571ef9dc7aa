-- wallet_sends_in_window(bucket, this_count, last_count, seconds, at): how many sends a wallet
-- made in the `seconds` before `at` (the risk rules' velocity), from the counts the posting
-- function keeps on the wallet row in fixed buckets of that length (bucket = epoch seconds /
-- seconds; wallets.sends_*): this bucket's count plus the previous bucket's, weighted by how much
-- of it still lies within the window, rounded up. A plain fixed window would forget a burst that
-- straddles a boundary. Read-only; used by wallet_post_transfers and the risk facts query
-- (src/services/risk/riskFacts.ts).
CREATE OR REPLACE FUNCTION wallet_sends_in_window(bucket BIGINT, this_count INT, last_count INT, seconds INT, at TIMESTAMPTZ)
RETURNS INT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN bucket = p.now_bucket THEN ceil(this_count + last_count * (1 - p.elapsed))::int
    WHEN bucket = p.now_bucket - 1 THEN ceil(this_count * (1 - p.elapsed))::int
    ELSE 0 END
  FROM (SELECT floor(s.at_bucket)::bigint AS now_bucket, s.at_bucket - floor(s.at_bucket) AS elapsed
        FROM (SELECT extract(epoch FROM at) / seconds AS at_bucket) s) p
$$;
