"""Here: pack the CIFAR-10 train folder into two class-stratified halves of
lossless WebP (one blob + offsets each), with the pixels' md5 per half."""
import hashlib
import os
import sys

import cv2
import numpy as np

root, out = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(0)
halves = {0: [], 1: []}
for c in sorted(os.listdir(root)):
    files = sorted(os.listdir(f'{root}/{c}'))
    perm = rng.permutation(len(files))
    for i, k in enumerate(perm):
        halves[i % 2].append(f'{c}/{files[k]}')
for h, names in halves.items():
    blobs, md5 = [], hashlib.md5()
    for n in names:
        img = cv2.imread(f'{root}/{n}', cv2.IMREAD_UNCHANGED)
        ok, buf = cv2.imencode('.webp', img, [cv2.IMWRITE_WEBP_QUALITY, 101])
        back = cv2.imdecode(buf, cv2.IMREAD_UNCHANGED)
        assert ok and np.array_equal(back, img), n
        md5.update(img.tobytes())
        blobs.append(buf.tobytes())
    off = np.cumsum([0] + [len(b) for b in blobs])
    np.savez(f'{out}/train_{h}.npz',
             blob=np.frombuffer(b''.join(blobs), np.uint8), offsets=off,
             names=np.array(names), md5=md5.hexdigest())
    print(h, len(names), off[-1] / 2**20, 'MiB', md5.hexdigest())
