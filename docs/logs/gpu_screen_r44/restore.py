"""Device side: write one packed half of the CIFAR-10 train folder back as
PNGs (lossless, same pixels) under ROOT/train, checking the pixels' md5."""
import hashlib
import os
import sys

import cv2
import numpy as np

pack, root = sys.argv[1], sys.argv[2]
z = np.load(pack)
blob, off, md5 = z['blob'], z['offsets'], hashlib.md5()
for i, name in enumerate(z['names']):
    img = cv2.imdecode(blob[off[i]:off[i + 1]], cv2.IMREAD_UNCHANGED)
    md5.update(img.tobytes())
    path = os.path.join(root, 'train', str(name))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    cv2.imwrite(path, img)
ok = md5.hexdigest() == str(z['md5'])
print(pack, len(z['names']), 'images, md5', 'OK' if ok else 'MISMATCH')
sys.exit(0 if ok else 1)
