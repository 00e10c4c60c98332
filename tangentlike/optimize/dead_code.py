"""Remove assignments to generated temporaries that nothing reads."""
import gast

TEMP_PREFIXES = ("_t", "_d", "_g", "_r")


def _is_temp(name):
    return name.startswith(TEMP_PREFIXES) and name[2:3].isdigit() or (
        name.startswith("_r") and name[2:].isdigit())


def remove_dead_temporaries(fdef):
    while True:
        loads = {n.id for n in gast.walk(fdef) if isinstance(n, gast.Name)
                 and isinstance(n.ctx, gast.Load)}
        removed = [False]

        def prune(stmts):
            out = []
            for s in stmts:
                if isinstance(s, gast.Assign) and len(s.targets) == 1 \
                        and isinstance(s.targets[0], gast.Name) \
                        and _is_temp(s.targets[0].id) and s.targets[0].id not in loads:
                    removed[0] = True
                    continue
                for field in ("body", "orelse"):
                    if isinstance(getattr(s, field, None), list) and not isinstance(s, gast.FunctionDef):
                        setattr(s, field, prune(getattr(s, field)) or ([gast.Pass()] if field == "body" else []))
                out.append(s)
            return out

        fdef.body = prune(fdef.body)
        if not removed[0]:
            return fdef
