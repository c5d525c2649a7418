-- Full-text search over the supply pool. Chinese has no spaces, so the service writes `terms` as CJK unigrams and
-- bigrams plus Latin words (see worker/modules/catalog/search-terms.ts); unicode61 then indexes them as tokens and
-- a query for 面膜 matches 补水面膜 through its bigram.
CREATE VIRTUAL TABLE `product_search` USING fts5(`product_id` UNINDEXED, `terms`, tokenize = 'unicode61');
