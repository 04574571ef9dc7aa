-- wallet_sends_in_window(bucket, this_count, last_count, seconds, at): how many sends a wallet
-- made in the `seconds` before `at` (the risk rules' velocity), from the counts the posting
-- function keeps on the wallet row in fixed buckets of that length (bucket = epoch seconds /
-- seconds; wallets.sends_*): this bucket's count plus the previous bucket's, weighted by how much
-- of it still lies within the window, rounded up. A plain fixed window would forget a burst that
-- straddles a boundary. Read-only; used by wallet_post_transfers and the risk facts query
-- (src/services/risk/riskFacts.ts).
-- One expression with no FROM, and STABLE like extract(): so PostgreSQL inlines it into the calling
-- query. A function it cannot inline is planned again on every statement that calls it (~130 µs).
CREATE OR REPLACE FUNCTION wallet_sends_in_window(bucket BIGINT, this_count INT, last_count INT, seconds INT, at TIMESTAMPTZ)
RETURNS INT LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE bucket - floor(extract(epoch FROM at) / seconds)::bigint
    WHEN 0 THEN ceil(this_count + last_count * (1 - mod(extract(epoch FROM at), seconds) / seconds))::int
    WHEN -1 THEN ceil(this_count * (1 - mod(extract(epoch FROM at), seconds) / seconds))::int
    ELSE 0 END
$$;
