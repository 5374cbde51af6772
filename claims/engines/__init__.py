"""Engines that run the per-document pipeline at scale: shards of the input (`shards`), a worker
that runs one shard (`worker`), a shared rate budget (`budget`) and Ray (`ray_engine`, optional
extra `claims[ray]`). The core never imports this package."""
