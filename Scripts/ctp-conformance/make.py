import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid
from xml.sax.saxutils import escape
from cases import CASES
from pydicom.datadict import tag_for_keyword
ds = Dataset()
ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
ds.SOPInstanceUID = "1.2.826.0.1.3680043.10.999.1.2"
ds.StudyInstanceUID = "1.2.826.0.1.3680043.10.999.1.3"
ds.SeriesInstanceUID = "1.2.826.0.1.3680043.10.999.1.4"
ds.Modality = "OT"
ds.PatientName = "DOE^JANE^Q"
ds.PatientID = "PID-0042"
ds.StudyDate = "20200131"
ds.PatientAge = "047Y"
ds.PatientComments = "a/b/CT CHEST W/O"
ds.ImageComments = ""
for kw, present, _ in CASES:
    if present:
        setattr(ds, kw, "Target Value")
fm = FileMetaDataset()
fm.MediaStorageSOPClassUID = ds.SOPClassUID
fm.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
fm.TransferSyntaxUID = ExplicitVRLittleEndian
ds.file_meta = fm
ds.save_as("in/test.dcm", enforce_file_format=True)
lines = ['<script>', ' <p t="SITEID">S01</p>']
for kw, _, script in CASES:
    t = tag_for_keyword(kw)
    lines.append(f' <e en="T" t="{t:08x}" n="{kw}">{escape(script)}</e>')
for kw in ["SOPClassUID", "SOPInstanceUID", "StudyInstanceUID", "SeriesInstanceUID", "Modality", "PatientName", "PatientID", "StudyDate", "PatientAge", "PatientComments", "ImageComments"]:
    lines.append(f' <e en="T" t="{tag_for_keyword(kw):08x}" n="{kw}">@keep()</e>')
lines.append('</script>')
open("diff.script", "w").write("\n".join(lines) + "\n")
open("lookup.properties", "w").write("ptid/PID-0042=@alias/P42\nalias/P42=SUBJ-1\n")
