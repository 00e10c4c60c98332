"""Fresh, collision-free, deterministic names for generated variables."""


class Namer:
    def __init__(self, taken):
        self.taken = set(taken)
        self.counters = {}

    def reserve(self, id_):
        self.taken.add(id_)

    def fresh(self, base):
        """``base`` itself if free, else base_1, base_2, ..."""
        cand = base
        k = self.counters.get(base, 0)
        while cand in self.taken:
            k += 1
            cand = f"{base}_{k}"
        self.counters[base] = k
        self.taken.add(cand)
        return cand

    def numbered(self, prefix):
        """prefix1, prefix2, ... (for temporaries)."""
        k = self.counters.get(prefix, 0)
        while True:
            k += 1
            cand = f"{prefix}{k}"
            if cand not in self.taken:
                break
        self.counters[prefix] = k
        self.taken.add(cand)
        return cand


def identifier(name, fallback="f"):
    """``name`` when it is a Python identifier that is not a keyword, else ``name`` with
    every other character replaced by ``_`` (so a ``__name__`` holding code or a newline
    never reaches generated text as anything but a name)."""
    import keyword
    import re

    name = name if isinstance(name, str) else fallback
    if name.isidentifier() and not keyword.iskeyword(name):
        return name
    name = re.sub(r"\W", "_", name, flags=re.ASCII) or fallback
    if not name.isidentifier() or keyword.iskeyword(name):
        name = "_" + name
    return name
