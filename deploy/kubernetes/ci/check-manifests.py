#!/usr/bin/env python3
"""Checks deploy/kubernetes/*.yaml without a cluster:
1. every document deserializes into its Kubernetes model (V1Job, V1PersistentVolumeClaim) with the official
   Python client, and serializes back to the same document: a misspelt or unknown field, or a value of the wrong
   type, is dropped or refused on the way and shows as a difference; required fields are enforced by the models;
2. the Jobs fit the entrypoint and each other: each runs one step of entrypoint.sh with every variable that step
   requires and no variable the entrypoint does not read; the parts Job is Indexed with completions =
   parallelism = the plan's DEID_PARTS; every path variable lies on a mounted volume (the secret and the
   certificate on the Secret volume holding that key, the secret file not readable by group or others; the plan
   folder on the same claim in every Job); every claim is one storage.yaml defines.
usage: check-manifests.py DEPLOY_KUBERNETES_DIR      (needs the kubernetes and yaml modules: Debian python3-kubernetes)"""
import json, os, re, sys
import yaml
from kubernetes import client

folder = sys.argv[1]
problems = []
MODELS = {('batch/v1', 'Job'): 'V1Job', ('v1', 'PersistentVolumeClaim'): 'V1PersistentVolumeClaim'}


class Response:  # what ApiClient.deserialize reads: a body in .data
    def __init__(self, document):
        self.data = json.dumps(document)


def normalized(value):
    """The document as the client serializes it: no nulls, no empty collections that mean nothing."""
    if isinstance(value, dict):
        return {k: normalized(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [normalized(v) for v in value]
    return value


def differences(a, b, path=''):
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in b:
                yield f'{path}.{key}: not a field of the model (misspelt or unknown)'
            elif key not in a:
                yield f'{path}.{key}: added by the model'
            else:
                yield from differences(a[key], b[key], f'{path}.{key}')
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for index, (x, y) in enumerate(zip(a, b)):
            yield from differences(x, y, f'{path}[{index}]')
    elif a != b:
        yield f'{path}: {a!r} read back as {b!r}'


api = client.ApiClient()
objects = {}
for name in sorted(os.listdir(folder)):
    if not name.endswith('.yaml'):
        continue
    with open(os.path.join(folder, name)) as f:
        documents = [d for d in yaml.safe_load_all(f) if d is not None]
    for document in documents:
        model = MODELS.get((document.get('apiVersion'), document.get('kind')))
        where = f"{name}: {document.get('kind')} {document.get('metadata', {}).get('name')}"
        if model is None:
            problems.append(f'{where}: apiVersion/kind not one this check knows')
            continue
        try:
            obj = api.deserialize(Response(document), model)
        except (ValueError, TypeError) as error:
            problems.append(f'{where}: not a valid {model}: {error}')
            continue
        back = api.sanitize_for_serialization(obj)
        problems += [f'{where}: {d}' for d in differences(normalized(document), normalized(back))]
        objects[(document['kind'], obj.metadata.name)] = obj

# The entrypoint's steps: which variables each requires (": "${X:?}" lines) and which it reads at all.
with open(os.path.join(folder, 'entrypoint.sh')) as f:
    entrypoint = f.read()
required = {}
for step, body in re.findall(r'^(plan|part|merge)\)\n(.*?)^    ;;', entrypoint, re.M | re.S):
    required[step] = set(re.findall(r'\$\{(\w+):\?\}', body))
known = set(re.findall(r'\b(DEID_\w+|JOB_COMPLETION_INDEX)\b', entrypoint))
if set(required) != {'plan', 'part', 'merge'}:
    problems.append(f'entrypoint.sh: steps found {sorted(required)}, expected plan, part, merge')

claims = {name for kind, name in objects if kind == 'PersistentVolumeClaim'}
jobs = {name: obj for (kind, name), obj in objects.items() if kind == 'Job'}
steps = {}
plan_claims = set()
for name, job in jobs.items():
    pod = job.spec.template.spec
    if pod.restart_policy not in ('Never', 'OnFailure'):
        problems.append(f'job {name}: restartPolicy {pod.restart_policy} (a Job needs Never or OnFailure)')
    if len(pod.containers) != 1:
        problems.append(f'job {name}: {len(pod.containers)} containers, expected one')
        continue
    container = pod.containers[0]
    step = (container.args or [None])[0]
    if step not in required:
        problems.append(f'job {name}: args {container.args} name no step of entrypoint.sh')
        continue
    steps[step] = job
    env = {e.name: e.value for e in container.env or []}
    for missing in sorted(required[step] - set(env)):
        problems.append(f'job {name}: {missing} is not set, and the {step} step requires it')
    for unknown in sorted(set(env) - known):
        problems.append(f'job {name}: {unknown} is not read by entrypoint.sh')
    volumes = {v.name: v for v in pod.volumes or []}
    mounts = container.volume_mounts or []
    for mount in mounts:
        if mount.name not in volumes:
            problems.append(f'job {name}: mount {mount.mount_path} names no volume ({mount.name})')
    for volume in volumes.values():
        if volume.persistent_volume_claim and volume.persistent_volume_claim.claim_name not in claims:
            problems.append(f'job {name}: claim {volume.persistent_volume_claim.claim_name} is not in storage.yaml')

    def volume_of(path):
        best = None
        for mount in mounts:
            if path == mount.mount_path or path.startswith(mount.mount_path.rstrip('/') + '/'):
                if best is None or len(mount.mount_path) > len(best.mount_path):
                    best = mount
        return best, volumes.get(best.name) if best else None

    for variable in ('DEID_PLAN', 'DEID_OUTPUT', 'DEID_INPUTS', 'DEID_SECRET', 'DEID_RECIPIENT'):
        if variable not in env:
            continue
        mount, volume = volume_of(env[variable])
        if volume is None:
            problems.append(f'job {name}: {variable}={env[variable]} is on no mounted volume')
            continue
        writes = variable in ('DEID_PLAN', 'DEID_OUTPUT') and not (step == 'merge' and variable == 'DEID_PLAN')
        if writes and mount.read_only:
            problems.append(f'job {name}: {variable} is on a read-only mount')
        if variable == 'DEID_PLAN':
            plan_claims.add(volume.persistent_volume_claim.claim_name if volume.persistent_volume_claim else None)
        if variable in ('DEID_SECRET', 'DEID_RECIPIENT'):
            key = os.path.relpath(env[variable], mount.mount_path)
            items = {i.path: i for i in (volume.secret.items or [])} if volume.secret else {}
            if volume.secret is None or key not in items:
                problems.append(f'job {name}: {variable}={env[variable]} is not a key of a Secret volume')
            elif variable == 'DEID_SECRET':
                mode = items[key].mode if items[key].mode is not None else volume.secret.default_mode
                if mode is None or mode & 0o077:
                    problems.append(f'job {name}: the secret file mode {oct(mode) if mode else "0644 (default)"} lets group or others read it; dicom-deidentify refuses it')

if set(steps) != {'plan', 'part', 'merge'}:
    problems.append(f'the Jobs run steps {sorted(steps)}, expected plan, part and merge')
if len(plan_claims) != 1 or None in plan_claims:
    problems.append(f'the plan folder is not on one claim shared by every Job: {plan_claims}')
if 'part' in steps and 'plan' in steps:
    spec = steps['part'].spec
    parts = {e.name: e.value for e in steps['plan'].spec.template.spec.containers[0].env}.get('DEID_PARTS')
    if spec.completion_mode != 'Indexed':
        problems.append(f'the parts Job has completionMode {spec.completion_mode}, not Indexed (no JOB_COMPLETION_INDEX)')
    if not (str(spec.completions) == str(spec.parallelism or spec.completions) == str(parts)):
        problems.append(f'the parts Job has completions {spec.completions}, parallelism {spec.parallelism}; the plan makes {parts} parts')

for problem in problems:
    print(f'check-manifests: {problem}', file=sys.stderr)
if problems:
    sys.exit(1)
print(f'manifests: {len(objects)} objects ({", ".join(f"{k} {n}" for k, n in sorted(objects))}) valid and consistent with entrypoint.sh')
