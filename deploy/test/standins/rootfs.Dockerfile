# A Debian root filesystem made by debootstrap, as an image of its architecture (docker import on 20.10
# records the host's architecture whatever --platform says, so the arm64 one is built FROM scratch).
FROM scratch
ADD rootfs.tar /
CMD ["bash"]
