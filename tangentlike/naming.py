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
