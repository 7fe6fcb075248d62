"""Reading and writing EEG and surface fMRI files, one module per format (as MNE's ``io``).

* :mod:`~neuroframes_edu.io.eeg` — EEG in any format :func:`mne.io.read_raw` reads (:func:`read_eeg`);
* :mod:`~neuroframes_edu.io.gifti` — surface time series as one GIFTI file per hemisphere;
* :mod:`~neuroframes_edu.io.cifti` — CIFTI-2 dense time series (91,282 grayordinates → the 59,412
  cortical vertices of fs_LR 32k);
* :mod:`~neuroframes_edu.io.bids` — BIDS datasets: raw EEG through mne-bids, surface BOLD as
  derivatives named as fMRIPrep names them;
* :mod:`~neuroframes_edu.io.cinebrain` — CineBrain-style folders of per-TR files.

These readers return arrays and ``mne.io.Raw`` objects; :class:`neuroframes_edu.data.Recording`
puts them together (``Recording.from_files``, ``Recording.from_bids``). Every reader checks what it
reads and says what is wrong and how to fix it; every writer writes to a temporary name and renames,
and never replaces existing files unless asked to (``overwrite=True``).

Introduced in notebook 08.
"""

from neuroframes_edu.io._checks import check_same_recording
from neuroframes_edu.io.bids import BIDS_PIPELINE, find_bids_bold, write_bids_dataset
from neuroframes_edu.io.cifti import read_cifti_dtseries, write_cifti_dtseries
from neuroframes_edu.io.cinebrain import read_cinebrain_folder, write_cinebrain_folder
from neuroframes_edu.io.eeg import EEG_SUFFIXES, read_eeg
from neuroframes_edu.io.gifti import read_gifti_timeseries, write_gifti_timeseries

__all__ = [
    "BIDS_PIPELINE",
    "EEG_SUFFIXES",
    "check_same_recording",
    "find_bids_bold",
    "read_cifti_dtseries",
    "read_cinebrain_folder",
    "read_eeg",
    "read_gifti_timeseries",
    "write_bids_dataset",
    "write_cifti_dtseries",
    "write_cinebrain_folder",
    "write_gifti_timeseries",
]
