#!/usr/bin/env python3
"""Writes a test corpus for the Slurm check: PATIENTS x PER_PATIENT instances (CT and MR fixtures, new patient,
study, series and instance UIDs), the CT fixture instance in five transfer syntaxes (one SOP Instance UID, five
contents), and a byte-identical copy of one of them in another folder.
usage: make-corpus.py FIXTURES_DIR OUT_DIR [PATIENTS [PER_PATIENT]]"""
import copy, os, shutil, sys
import pydicom

fixtures, out = sys.argv[1], sys.argv[2]
patients = int(sys.argv[3]) if len(sys.argv) > 3 else 50
per_patient = int(sys.argv[4]) if len(sys.argv) > 4 else 40
sources = [pydicom.dcmread(os.path.join(fixtures, name)) for name in ('ct-explicit-le.dcm', 'mr-explicit-le.dcm')]
root = '1.2.826.0.1.3680043.10.999'
for p in range(patients):
    folder = os.path.join(out, f'p{p:03d}')
    os.makedirs(folder, exist_ok=True)
    for i in range(per_patient):
        ds = copy.deepcopy(sources[i % 2])
        ds.PatientID = f'PAT{p:03d}'
        ds.StudyInstanceUID = f'{root}.{p}.1'
        ds.SeriesInstanceUID = f'{root}.{p}.2.{i % 2}'
        ds.SOPInstanceUID = f'{root}.{p}.3.{i}'
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.save_as(os.path.join(folder, f'{i:03d}.dcm'), enforce_file_format=True)
for name in ('ct-deflated.dcm', 'ct-explicit-be.dcm', 'ct-explicit-le.dcm', 'ct-implicit-le.dcm', 'ct-rle.dcm'):
    shutil.copyfile(os.path.join(fixtures, name), os.path.join(out, 'p000', name))
os.makedirs(os.path.join(out, 'zz-copies'), exist_ok=True)
shutil.copyfile(os.path.join(fixtures, 'ct-explicit-le.dcm'), os.path.join(out, 'zz-copies', 'same.dcm'))
print(patients * per_patient + 6)
