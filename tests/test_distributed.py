import pandas as pd
import pytest

dd = pytest.importorskip("dask.dataframe", reason="dask is part of the test extras")
distributed = pytest.importorskip("distributed")

from textmine.distributed import score_dask, score_file_dask  # noqa: E402
from textmine.pipeline import Pipeline  # noqa: E402

TEXTS = ["蜂蜜很纯正，回购了", "质量不错，但是物流太慢了", "", "多少钱一斤？",
         "客服态度差，退款拖了一周😡", "包装很好看👍"] * 20


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def test_score_dask_matches_local(client):
    frame = pd.DataFrame({"id": range(len(TEXTS)), "text": TEXTS})
    local = Pipeline().score_frame(frame, "text")
    ddf = dd.from_pandas(frame, npartitions=4)
    remote = score_dask(ddf).compute().reset_index(drop=True)
    pd.testing.assert_frame_equal(remote, local, check_dtype=False)


def test_score_file_dask_matches_local(client, tmp_path):
    from textmine.batch import score_file

    src = tmp_path / "in.csv"
    pd.DataFrame({"id": range(len(TEXTS)), "text": TEXTS}).to_csv(src, index=False)
    score_file(src, tmp_path / "local.csv", chunk_size=25)
    summary = score_file_dask(src, tmp_path / "dask.csv", scheduler=client.scheduler.address,
                              chunk_size=25)
    assert summary.rows == len(TEXTS)
    assert (tmp_path / "dask.csv").read_bytes() == (tmp_path / "local.csv").read_bytes()
