"""Provider batch APIs: the requests of a run written as OpenAI Batch API files, submitted,
collected and verified like the online path (half the price, answers within 24 hours).

prepare → files in a state folder; submit → Files + Batches API; collect → the same verify and
merge as `claims extract`, through the same sinks; retry → a follow-up batch for what failed,
expired, or needs asking again (a split chunk, a re-ask). Every step can be rerun after a crash.
"""
