"""SCHEDULER_SERIALIZER for scrapy-redis: requests as MessagePack, not pickle.

scrapy-redis pickles requests by default, so anyone who can write to the
Redis could run code on every worker. A request's dict (Request.to_dict)
holds only strings, bytes, numbers, lists and dicts, which MessagePack keeps
apart (bytes stay bytes) and cannot turn into code; a meta value it cannot
encode fails loudly at push time instead of surfacing on another machine.
"""
import msgpack


def dumps(obj) -> bytes:
    return msgpack.packb(obj, use_bin_type=True)


def loads(data: bytes):
    return msgpack.unpackb(data, raw=False, strict_map_key=False)
