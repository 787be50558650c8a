"""The planning wing: when the work happens and what the law asks of its notices.

Visit slots spread over the work window and edited by hand (`scheduling`, `slot_edit`), the
communication plan of each work order and what is due now (`communication`), the checks of a
work order (`checks`) with their `findings`, the probes that read a rendered notice
(`notice_probes`), and the notice law of each jurisdiction as data (`rules`). It imports the
letters and records wings and the shared basics; never mail, imports or anything above.
"""
